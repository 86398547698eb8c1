using System.Text;

namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Turns UTF-16 and UTF-32 log files (what Windows PowerShell's <c>&gt;</c> and <c>Out-File</c> write) into the UTF-8
/// the JSON reader expects. Recognized by byte-order mark, or for UTF-16 without one by a leading <c>{</c> or
/// <c>[</c> with a zero byte beside it. UTF-8, with or without a mark, passes through unchanged.
/// </summary>
internal static class TextEncodingDetector
{
    /// <summary>
    /// Wraps a stream; the encoding is sniffed on the first read, so a corrupt compressed stream fails inside the
    /// reader (where it is reported per file) rather than when the file is opened.
    /// </summary>
    public static Stream ToUtf8(Stream stream) => new SniffingStream(stream);

    private sealed class SniffingStream(Stream source) : Stream
    {
        private Stream? _decoded;

        private Stream Decoded
        {
            get
            {
                if (_decoded is not null) return _decoded;
                var prefixed = PeekedStream.Open(source, 4);
                var encoding = Detect(prefixed.Head);
                _decoded = encoding is null ? prefixed : Encoding.CreateTranscodingStream(prefixed, encoding, new UTF8Encoding(false), leaveOpen: false);
                return _decoded;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Decoded.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => Decoded.Read(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing) (_decoded ?? source).Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    internal static Encoding? Detect(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) return new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        if (b.Length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) return new UTF32Encoding(bigEndian: true, byteOrderMark: true);
        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xFE) return new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF) return new UnicodeEncoding(bigEndian: true, byteOrderMark: true);
        if (b.Length >= 4 && b[0] is (byte)'{' or (byte)'[' && b[1] == 0 && b[2] != 0 && b[3] == 0) return new UnicodeEncoding(false, false);
        if (b.Length >= 4 && b[0] == 0 && b[1] is (byte)'{' or (byte)'[' && b[2] == 0 && b[3] != 0) return new UnicodeEncoding(true, false);
        return null;
    }
}
