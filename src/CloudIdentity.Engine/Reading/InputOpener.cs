using System.IO.Compression;

namespace CloudIdentity.Engine.Reading;

/// <summary>Opens a log input, recognizing gzip by its magic bytes rather than by the file extension.</summary>
public static class InputOpener
{
    public static Stream OpenFile(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        return Decompress(file);
    }

    /// <summary>Wraps a seekable or buffered stream in a gzip decoder when it starts with the gzip magic bytes.</summary>
    public static Stream Decompress(Stream stream)
    {
        var buffered = stream.CanSeek ? stream : new BufferedStream(stream, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int n = ReadAtLeast(buffered, magic);
        if (buffered.CanSeek) buffered.Seek(-n, SeekOrigin.Current);
        else throw new InvalidOperationException("Unseekable input must be buffered by the caller.");
        Stream content = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(buffered, CompressionMode.Decompress) : buffered;
        return TextEncodingDetector.ToUtf8(content);
    }

    private static int ReadAtLeast(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
