using System.Text;

namespace CloudIdentity.Engine.Secrets;

public enum ContentType { Empty, Text, Utf16LE, Utf16BE, Binary, Zip, Gzip, Tar, Unsupported }

/// <summary>Recognises content by its first bytes (magic numbers, BOMs, NUL distribution), not by file name.</summary>
public static class ContentSniffer
{
    public const int HeadSize = 8192;

    public static (ContentType Type, string? Detail, int BomLength) Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return (ContentType.Empty, null, 0);
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8)) return (ContentType.Zip, "zip", 0);
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B) return (ContentType.Gzip, "gzip", 0);
        if (head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8)) return (ContentType.Tar, "tar", 0);
        if (head.StartsWith(new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C })) return (ContentType.Unsupported, "7z archive", 0);
        if (head.StartsWith(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 })) return (ContentType.Unsupported, "xz-compressed data", 0);
        if (head.StartsWith(new byte[] { 0x28, 0xB5, 0x2F, 0xFD })) return (ContentType.Unsupported, "zstd-compressed data", 0);
        if (head.Length >= 10 && head.StartsWith("BZh"u8) && head.Slice(4, 6).SequenceEqual(new byte[] { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 }))
            return (ContentType.Unsupported, "bzip2-compressed data", 0);
        if (head.StartsWith("Rar!\u001A\u0007"u8)) return (ContentType.Unsupported, "rar archive", 0);
        if (head.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) return (ContentType.Text, "utf-8 bom", 3);
        if (head.StartsWith(new byte[] { 0xFF, 0xFE })) return (ContentType.Utf16LE, "utf-16le bom", 2);
        if (head.StartsWith(new byte[] { 0xFE, 0xFF })) return (ContentType.Utf16BE, "utf-16be bom", 2);
        // UTF-16 without BOM: ASCII-range text puts a zero in every other byte.
        var sample = head[..(Math.Min(head.Length, 4096) & ~1)];
        int zeroEven = 0, zeroOdd = 0, control = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            var b = sample[i];
            if (b == 0) { if ((i & 1) == 0) zeroEven++; else zeroOdd++; }
            else if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B)) control++;
        }
        var half = Math.Max(1, sample.Length / 2);
        if (sample.Length >= 4 && zeroOdd > half * 0.4 && zeroEven < half * 0.05) return (ContentType.Utf16LE, "utf-16le", 0);
        if (sample.Length >= 4 && zeroEven > half * 0.4 && zeroOdd < half * 0.05) return (ContentType.Utf16BE, "utf-16be", 0);
        if (zeroEven + zeroOdd > 0 || control > sample.Length / 10) return (ContentType.Binary, "binary", 0);
        return (ContentType.Text, "text", 0);
    }
}

/// <summary>Extracts printable ASCII runs (at least 8 characters) from binary content, remembering their byte offsets.</summary>
internal sealed class PrintableRuns
{
    public const int MinRun = 8;
    private readonly StringBuilder _text = new();
    private readonly List<(int TextStart, long ByteStart)> _runs = [];

    public int TextLength => _text.Length;
    public string Text => _text.ToString();

    public void Add(ReadOnlySpan<byte> run, long byteStart)
    {
        _runs.Add((_text.Length, byteStart));
        foreach (var b in run) _text.Append((char)b);
        _text.Append('\n');
    }

    public long ByteOffsetOf(long textOffset)
    {
        var lo = 0; var hi = _runs.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_runs[mid].TextStart <= textOffset) lo = mid; else hi = mid - 1;
        }
        return _runs[lo].ByteStart + (textOffset - _runs[lo].TextStart);
    }

    public void Clear() { _text.Clear(); _runs.Clear(); }

    public static bool IsPrintable(byte b) => (b >= 0x20 && b < 0x7F) || b == 0x09;
}
