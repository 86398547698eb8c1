using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Streams record candidates out of UTF-8 JSON of any of the shapes log exports use, holding at most one
/// record (plus the read buffer) in memory:
/// <list type="bullet">
/// <item>a wrapper object whose container property is an array: <c>{"Records":[...]}</c>, <c>{"Events":[...]}</c>,
///   <c>{"logEvents":[...]}</c>, <c>{"value":[...]}</c>, <c>{"records":[...]}</c>, <c>{"QueryResultRows":[...]}</c>;</item>
/// <item>a bare array of records;</item>
/// <item>JSON lines or concatenated values (each top-level object is one record).</item>
/// </list>
/// Envelope properties of a wrapper (for example <c>messageType</c> of a CloudWatch subscription message) are
/// handed along with each element. A syntax error outside a container skips to the next line and goes on; inside a
/// container the rest of the input cannot be framed, so the scanner reports it and stops.
/// </summary>
public sealed class JsonRecordScanner : IDisposable
{
    public static readonly IReadOnlySet<string> ContainerNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "Records", "records", "Events", "logEvents", "value", "QueryResultRows",
    };

    private const int InitialBuffer = 256 * 1024;
    private readonly Stream _stream;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private int _start;      // first unconsumed byte
    private int _end;        // end of valid data
    private long _bufferOrigin; // stream offset of _buffer[0]
    private bool _eof;
    private JsonReaderState _state;
    private bool _bomChecked;

    private enum Mode { TopLevel, BareArray, Container, WrapperTail }
    private Mode _mode = Mode.TopLevel;
    private string? _container;
    private Dictionary<string, JsonElement>? _envelope;
    private long _index;
    private bool _failed;

    public JsonRecordScanner(Stream stream, int maxRecordBytes = 256 * 1024 * 1024)
    {
        _stream = stream;
        _maxRecordBytes = maxRecordBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        _state = NewState();
    }

    /// <summary>Bytes of the input read so far (for progress).</summary>
    public long BytesRead => _bufferOrigin + _end;

    /// <summary>True once any JSON value has been seen (an input of only whitespace is empty).</summary>
    public bool SawContent { get; private set; }

    /// <summary>The envelope of the wrapper object being streamed, if any.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Envelope => _envelope;

    /// <summary>
    /// Reads the next value. Returns false at the end of input. Throws <see cref="ScanException"/> for a problem
    /// with the input; after a problem at top level the caller may call again to go on with the next line.
    /// </summary>
    public bool TryReadNext(out ScannedValue value)
    {
        value = default;
        if (_failed) return false;
        while (true)
        {
            if (!_bomChecked) { EnsureData(3); SkipBom(); }
            var outcome = _mode switch
            {
                Mode.TopLevel => ReadTopLevel(out value),
                Mode.WrapperTail => ReadWrapperTail(),
                _ => ReadElement(out value),
            };
            switch (outcome)
            {
                case Step.Value: return true;
                case Step.Continue: continue;
                case Step.End: return false;
                case Step.NeedData:
                    if (!Refill()) return Finish();
                    continue;
            }
        }
    }

    private bool Finish()
    {
        // No more bytes. Whitespace only is a clean end; anything else is a truncated value.
        var rest = _buffer.AsSpan(_start, _end - _start);
        if (_mode != Mode.TopLevel)
        {
            _failed = true;
            throw new ScanException($"The input ends inside the '{_container ?? "array"}' array after {_index} record(s): the file is truncated.", _index, BytesRead);
        }
        if (rest.Trim(" \t\r\n"u8).Length > 0)
        {
            _failed = true;
            throw new ScanException("The input ends inside a JSON value: the file is truncated.", _index, _bufferOrigin + _start);
        }
        return false;
    }

    private enum Step { Value, Continue, NeedData, End }

    private Step ReadTopLevel(out ScannedValue value)
    {
        value = default;
        while (_start < _end && _buffer[_start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') _start++;
        if (_start == _end) return _eof ? Step.End : Step.NeedData;
        SawContent = true;
        _state = NewState();
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        long tokenStart;
        try
        {
            if (!reader.Read()) return _eof ? Step.End : Step.NeedData;
            tokenStart = reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    Consume(ref reader);
                    _mode = Mode.BareArray;
                    _container = null;
                    _envelope = null;
                    return Step.Continue;
                case JsonTokenType.StartObject:
                    return ProbeObject(ref reader, tokenStart, out value);
                default:
                    // A top-level string may be a serialised record (one JSON string per line).
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var text = reader.GetString()!;
                        var offset = _bufferOrigin + _start + tokenStart;
                        Consume(ref reader);
                        value = new ScannedValue(ParseString(text, offset), null, _index++, offset, null);
                        return Step.Value;
                    }
                    var at = _bufferOrigin + _start + tokenStart;
                    Consume(ref reader);
                    throw new ScanException($"Expected a JSON object or array at top level, found {reader.TokenType}.", _index++, at);
            }
        }
        catch (JsonException ex)
        {
            var at = _bufferOrigin + _start + (ex.BytePositionInLine ?? 0);
            if (EndsEarly())
            {
                _failed = true;
                throw new ScanException("The input ends inside a JSON value: the file is truncated.", _index, at);
            }
            SkipLine();
            throw new ScanException($"Malformed JSON: {Clean(ex.Message)}", _index++, at);
        }
    }

    /// <summary>
    /// Reads a top-level object property by property. A container property switches to streaming its elements;
    /// otherwise the whole object, kept in the buffer, becomes one record.
    /// </summary>
    private Step ProbeObject(ref Utf8JsonReader reader, long objectStart, out ScannedValue value)
    {
        value = default;
        var props = new List<(string Name, long Start, long End)>();
        while (true)
        {
            if (!reader.Read()) return Step.NeedData; // buffer keeps everything from _start
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                var length = (int)(reader.BytesConsumed - objectStart);
                var offset = _bufferOrigin + _start + objectStart;
                var doc = JsonDocument.Parse(_buffer.AsMemory(_start + (int)objectStart, length).ToArray(), DocOptions);
                Consume(ref reader);
                value = new ScannedValue(doc.RootElement, null, _index++, offset, null);
                return Step.Value;
            }
            var name = reader.GetString()!;
            if (!reader.Read()) return Step.NeedData;
            if (reader.TokenType == JsonTokenType.StartArray && ContainerNames.Contains(name))
            {
                _envelope = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var (pName, pStart, pEnd) in props)
                {
                    using var d = JsonDocument.Parse(_buffer.AsMemory(_start + (int)pStart, (int)(pEnd - pStart)), DocOptions);
                    _envelope[pName] = d.RootElement.Clone();
                }
                _container = name;
                _mode = Mode.Container;
                Consume(ref reader);
                return Step.Continue;
            }
            long valueStart = reader.TokenStartIndex;
            if (!reader.TrySkip()) return Step.NeedData;
            props.Add((name, valueStart, reader.BytesConsumed));
        }
    }

    private Step ReadElement(out ScannedValue value)
    {
        value = default;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            if (!reader.Read()) return Step.NeedData;
            var tokenStart = reader.TokenStartIndex;
            var offset = _bufferOrigin + _start + tokenStart;
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    Consume(ref reader);
                    _mode = _mode == Mode.BareArray ? Mode.TopLevel : Mode.WrapperTail;
                    return Step.Continue;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                {
                    // Parse in one pass. When the element runs past the buffered data the parser throws; that
                    // happens about once per buffer refill, and the element is parsed again after the refill.
                    // JsonElement.ParseValue builds an exact-size document without the array pool: no renting,
                    // clearing and returning of buffers per record (JsonDocument.ParseValue + Clone spent most of
                    // its time there).
                    JsonElement element;
                    var beforeValue = reader;
                    try
                    {
                        element = JsonElement.ParseValue(ref reader);
                    }
                    catch (JsonException) when (!_eof)
                    {
                        var probe = beforeValue;
                        if (!probe.TrySkip()) return Step.NeedData;
                        throw;
                    }
                    Consume(ref reader);
                    value = new ScannedValue(element, _container, _index++, offset, _envelope);
                    return Step.Value;
                }
                case JsonTokenType.String:
                {
                    var text = reader.GetString()!;
                    Consume(ref reader);
                    value = new ScannedValue(ParseString(text, offset), _container, _index++, offset, _envelope);
                    return Step.Value;
                }
                default:
                    Consume(ref reader);
                    throw new ScanException($"Expected a record (object) in '{_container ?? "array"}', found {reader.TokenType}.", _index++, offset);
            }
        }
        catch (JsonException ex)
        {
            _failed = true;
            if (EndsEarly())
                throw new ScanException($"The input ends inside the '{_container ?? "array"}' array after {_index} record(s): the file is truncated.", _index, BytesRead);
            throw new ScanException($"Malformed JSON inside '{_container ?? "array"}' after {_index} record(s); the rest of the input cannot be read: {Clean(ex.Message)}", _index, _bufferOrigin + _start);
        }
    }

    /// <summary>At the end of input, true when what is left is a valid but unfinished JSON prefix (truncation).</summary>
    private bool EndsEarly()
    {
        if (!_eof) return false;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), isFinalBlock: false, _state);
        try
        {
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads the wrapper's properties after its container array (e.g. <c>NextToken</c>), up to its end.</summary>
    private Step ReadWrapperTail()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            if (!reader.Read()) return Step.NeedData;
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                Consume(ref reader);
                _mode = Mode.TopLevel;
                _container = null;
                return Step.Continue;
            }
            var name = reader.GetString()!;
            if (!reader.Read()) return Step.NeedData;
            if (reader.TokenType == JsonTokenType.StartArray && ContainerNames.Contains(name))
            {
                _container = name;
                _mode = Mode.Container;
                Consume(ref reader);
                return Step.Continue;
            }
            var probe = reader;
            if (!probe.TrySkip()) return Step.NeedData;
            using (var d = JsonDocument.ParseValue(ref reader)) _envelope![name] = d.RootElement.Clone();
            Consume(ref reader);
            return Step.Continue;
        }
        catch (JsonException ex)
        {
            _failed = true;
            throw new ScanException($"Malformed JSON after the '{_container}' array: {Clean(ex.Message)}", _index, _bufferOrigin + _start);
        }
    }

    private static JsonReaderState NewState() =>
        new(new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });

    /// <summary>A JSON string holding a serialised record, wrapped so the caller can decode it exactly once.</summary>
    private static JsonElement ParseString(string text, long offset)
    {
        using var doc = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(text));
        return doc.RootElement.Clone();
    }

    private static readonly JsonDocumentOptions DocOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private void Consume(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private bool Refill()
    {
        if (_eof) return false;
        // Compact: keep unconsumed bytes.
        int unconsumed = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unconsumed);
            _bufferOrigin += _start;
            _start = 0;
            _end = unconsumed;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxRecordBytes)
            {
                _failed = true;
                throw new ScanException($"A single record is larger than {_maxRecordBytes / (1024 * 1024)} MiB; the rest of the input is not read.", _index, _bufferOrigin);
            }
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxRecordBytes));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        // Fill the whole free space: decompressors return small chunks, and every partial record at the end of the
        // buffer costs a second parse.
        while (_end < _buffer.Length)
        {
            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) { _eof = true; break; }
            _end += n;
        }
        return true;
    }

    private bool EnsureData(int count)
    {
        while (_end - _start < count && !_eof) Refill();
        return _end - _start >= count;
    }

    private void SkipBom()
    {
        if (_bomChecked) return;
        _bomChecked = true;
        if (_buffer.AsSpan(_start, _end - _start).StartsWith(Encoding.UTF8.Preamble)) _start += 3;
    }

    private void SkipLine()
    {
        // Resynchronise after a malformed top-level value: drop through the end of the current line.
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            int nl = span.IndexOf((byte)'\n');
            if (nl >= 0) { _start += nl + 1; break; }
            _start = _end;
            if (_eof || !Refill() || _eof && _end == _start) break;
        }
        _state = NewState();
    }

    private static string Clean(string message)
    {
        int i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A problem with one part of an input: malformed JSON, a truncated file, an oversized record.</summary>
public sealed class ScanException(string message, long recordIndex, long byteOffset) : Exception(message)
{
    public long RecordIndex { get; } = recordIndex;
    public long ByteOffset { get; } = byteOffset;
}
