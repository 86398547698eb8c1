namespace CloudIdentity.Engine.Reading;

/// <summary>A read-only stream whose first bytes were already read (for sniffing) and are replayed first.</summary>
internal sealed class PeekedStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _head;
    private int _headPos;

    private PeekedStream(Stream inner, byte[] head) { _inner = inner; _head = head; }

    public ReadOnlySpan<byte> Head => _head;

    public static PeekedStream Open(Stream inner, int size)
    {
        var buf = new byte[size];
        var n = 0;
        while (n < size)
        {
            var r = inner.Read(buf, n, size - n);
            if (r == 0) break;
            n += r;
        }
        Array.Resize(ref buf, n);
        return new PeekedStream(inner, buf);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headPos < _head.Length)
        {
            var n = Math.Min(buffer.Length, _head.Length - _headPos);
            _head.AsSpan(_headPos, n).CopyTo(buffer);
            _headPos += n;
            return n;
        }
        return _inner.Read(buffer);
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
    protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
}
