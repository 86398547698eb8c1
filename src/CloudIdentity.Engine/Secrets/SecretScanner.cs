using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Secrets;

/// <summary>
/// Scans files, strings, archives (zip, tar, gzip, nested) and container images for secrets. Content is recognised
/// by its bytes, not its name. Results come back per scanned file as findings and notices.
/// </summary>
public sealed class SecretScanner
{
    private readonly SecretScanOptions _options;
    private readonly TextScanner _text;
    private readonly List<Regex> _excludes;

    public SecretScanner(SecretScanOptions options)
    {
        _options = options;
        _text = new TextScanner(options.Catalog, options.ChunkChars, options.OverlapChars);
        _excludes = options.ExcludeEntries.Select(Glob.ToRegex).ToList();
    }

    public SecretScanOptions Options => _options;

    /// <summary>Scans a file, or an OCI image layout folder.</summary>
    public List<ScanItem> ScanPath(string path, CancellationToken cancel = default)
    {
        var sink = new List<ScanItem>();
        try
        {
            if (Directory.Exists(path))
            {
                if (OciLayout.IsLayout(path)) new ContainerImageScanner(this).ScanOciLayout(path, sink, cancel);
                else sink.Add(Notice(ScanNoticeKind.Skipped, path, "a folder that is not an OCI image layout"));
                return sink;
            }
            var info = new FileInfo(path);
            if (_options.MaxFileSize > 0 && info.Length > _options.MaxFileSize && !IsArchiveFile(path))
            {
                sink.Add(Notice(ScanNoticeKind.Skipped, path, $"size {info.Length:N0} bytes is over the limit of {_options.MaxFileSize:N0}"));
                return sink;
            }
            if (ContainerImageScanner.TryScanDockerArchive(this, path, sink, cancel)) return sink;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            ScanStream(stream, [path], 0, sink, info.Length, cancel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            sink.Add(Notice(ScanNoticeKind.ReadError, path, e.Message));
        }
        return sink;
    }

    private static bool IsArchiveFile(string path)
    {
        try
        {
            using var s = File.OpenRead(path);
            Span<byte> head = stackalloc byte[512];
            var n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var t = ContentSniffer.Detect(head[..n]).Type;
            return t is ContentType.Zip or ContentType.Tar or ContentType.Gzip;
        }
        catch (IOException) { return false; }
    }

    /// <summary>Scans one string (pipeline input); the origin names it in locations.</summary>
    public List<ScanItem> ScanText(string text, string origin)
    {
        var sink = new List<ScanItem>();
        var hits = _text.Scan(new StringReader(text), OffsetMode.Utf8, 0);
        Report(hits, [origin], "Text", sink);
        return sink;
    }

    internal void ScanStream(Stream raw, List<string> parts, int depth, List<ScanItem> sink, long? length, CancellationToken cancel, int compressionLayers = 0)
    {
        cancel.ThrowIfCancellationRequested();
        var location = Location(parts);
        Stream stream;
        byte[] head;
        if (raw.CanSeek)
        {
            var start = raw.Position;
            head = new byte[ContentSniffer.HeadSize];
            var n = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            Array.Resize(ref head, n);
            raw.Position = start;
            stream = raw;
        }
        else
        {
            var peeked = PeekedStream.Open(raw, ContentSniffer.HeadSize);
            head = peeked.Head.ToArray();
            stream = peeked;
        }
        var (type, detail, bom) = ContentSniffer.Detect(head);
        switch (type)
        {
            case ContentType.Empty:
                return;
            case ContentType.Unsupported:
                sink.Add(Notice(ScanNoticeKind.Skipped, location, $"unsupported archive or compression format ({detail})"));
                return;
            case ContentType.Gzip:
                if (compressionLayers >= 3) { sink.Add(Notice(ScanNoticeKind.Skipped, location, "more than 3 nested compression layers")); return; }
            {
                // GZipStream ends quietly on truncated data: compare the bytes inflated with the trailer's size so a
                // cut-off file is reported instead of passing as scanned (found by a new-user trial).
                uint? trailerSize = null;
                if (stream is FileStream && stream.Length - stream.Position >= 18)
                {
                    var start = stream.Position;
                    stream.Seek(-4, SeekOrigin.End);
                    Span<byte> tail = stackalloc byte[4];
                    stream.ReadExactly(tail);
                    trailerSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail);
                    stream.Position = start;
                }
                var counting = new CountingStream(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true));
                try
                {
                    ScanStream(counting, parts, depth, sink, null, cancel, compressionLayers + 1);
                    // Readers of the content (a tar's end blocks) may stop before the end: inflate the rest to count it.
                    if (trailerSize is not null) counting.CopyTo(Stream.Null);
                }
                catch (InvalidDataException e)
                {
                    sink.Add(Notice(ScanNoticeKind.ReadError, location, $"the gzip data is corrupt after {counting.BytesRead:N0} bytes: {e.Message}"));
                    return;
                }
                finally
                {
                    counting.Dispose();
                }
                if (trailerSize is { } expected && (uint)counting.BytesRead != expected)
                    sink.Add(Notice(ScanNoticeKind.ReadError, location,
                        $"the gzip data ends early or is damaged: {counting.BytesRead:N0} bytes were inflated and scanned, its trailer says {expected:N0} (a truncated file, or several gzip members)"));
                return;
            }
            case ContentType.Zip:
            case ContentType.Tar:
                if (depth >= _options.MaxArchiveDepth)
                {
                    sink.Add(Notice(ScanNoticeKind.DepthLimitReached, location, $"max archive depth reached ({_options.MaxArchiveDepth}); the {detail} was not opened"));
                    return;
                }
                if (type == ContentType.Zip) ScanZip(stream, parts, depth, sink, length, cancel);
                else ScanTar(stream, parts, depth, sink, cancel);
                return;
        }
        if (_options.MaxFileSize > 0 && length > _options.MaxFileSize)
        {
            sink.Add(Notice(ScanNoticeKind.Skipped, location, $"size {length:N0} bytes is over the limit of {_options.MaxFileSize:N0}"));
            return;
        }
        ScanContent(stream, type, bom, parts, sink);
    }

    internal void ScanContent(Stream stream, ContentType type, int bom, List<string> parts, List<ScanItem> sink)
    {
        List<Hit> hits;
        string kind;
        switch (type)
        {
            case ContentType.Utf16LE:
            case ContentType.Utf16BE:
                {
                    var enc = type == ContentType.Utf16LE ? (Encoding)new UnicodeEncoding(false, false) : new UnicodeEncoding(true, false);
                    if (bom > 0) { Span<byte> skip = stackalloc byte[2]; stream.ReadExactly(skip); }
                    using var reader = new StreamReader(stream, enc, false, 1 << 16, leaveOpen: true);
                    hits = _text.Scan(reader, OffsetMode.Utf16, bom);
                    kind = "Utf16";
                    break;
                }
            case ContentType.Binary:
                hits = ScanBinary(stream);
                kind = "Binary";
                break;
            default:
                {
                    if (bom > 0) { Span<byte> skip = stackalloc byte[3]; stream.ReadExactly(skip); }
                    using var reader = new StreamReader(stream, new UTF8Encoding(false, false), false, 1 << 16, leaveOpen: true);
                    hits = _text.Scan(reader, OffsetMode.Utf8, bom);
                    kind = "Text";
                    break;
                }
        }
        Report(hits, parts, kind, sink);
    }

    private List<Hit> ScanBinary(Stream stream)
    {
        var hits = new List<Hit>();
        var runs = new PrintableRuns();
        var run = new MemoryStream();
        long runStart = 0, pos = 0;
        var buf = new byte[1 << 16];
        void EndRun()
        {
            if (run.Length >= PrintableRuns.MinRun) runs.Add(run.GetBuffer().AsSpan(0, (int)run.Length), runStart);
            run.SetLength(0);
        }
        void Flush()
        {
            if (runs.TextLength == 0) return;
            var map = runs;
            hits.AddRange(_text.Scan(new StringReader(runs.Text), OffsetMode.Custom, 0, map.ByteOffsetOf, lines: false));
            runs = new PrintableRuns();
        }
        int n;
        while ((n = stream.Read(buf, 0, buf.Length)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var b = buf[i];
                if (PrintableRuns.IsPrintable(b))
                {
                    if (run.Length == 0) runStart = pos + i;
                    run.WriteByte(b);
                    if (run.Length >= _options.OverlapChars) EndRun();
                }
                else if (run.Length > 0) EndRun();
            }
            pos += n;
            if (runs.TextLength >= _options.ChunkChars) Flush();
        }
        EndRun();
        Flush();
        return hits;
    }

    private void ScanZip(Stream stream, List<string> parts, int depth, List<ScanItem> sink, long? length, CancellationToken cancel)
    {
        Stream seekable = stream;
        FileStream? temp = null;
        try
        {
            if (!stream.CanSeek)
            {
                if (length is > 256L * 1024 * 1024)
                {
                    temp = new FileStream(System.IO.Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
                    stream.CopyTo(temp);
                    temp.Position = 0;
                    seekable = temp;
                }
                else
                {
                    var ms = new MemoryStream();
                    stream.CopyTo(ms);
                    ms.Position = 0;
                    seekable = ms;
                }
            }
            using var zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries)
            {
                cancel.ThrowIfCancellationRequested();
                if (entry.FullName.EndsWith('/')) continue;
                var child = new List<string>(parts) { entry.FullName };
                if (IsExcluded(entry.FullName)) continue;
                try
                {
                    using var es = entry.Open();
                    ScanStream(es, child, depth + 1, sink, entry.Length, cancel);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
                {
                    sink.Add(Notice(ScanNoticeKind.ReadError, Location(child), $"cannot read zip entry: {e.Message}"));
                }
            }
        }
        catch (InvalidDataException e)
        {
            sink.Add(Notice(ScanNoticeKind.ReadError, Location(parts), $"not a readable zip archive: {e.Message}"));
        }
        finally { temp?.Dispose(); }
    }

    internal void ScanTar(Stream stream, List<string> parts, int depth, List<ScanItem> sink, CancellationToken cancel,
        Func<TarEntry, bool>? filter = null)
    {
        try
        {
            using var tar = new TarReader(stream, leaveOpen: true);
            TarEntry? entry;
            while ((entry = tar.GetNextEntry()) is not null)
            {
                cancel.ThrowIfCancellationRequested();
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)) continue;
                if (entry.DataStream is null) continue;
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (System.IO.Path.GetFileName(name).StartsWith(".wh.", StringComparison.Ordinal)) continue; // layer whiteout marker
                if (IsExcluded(name) || (filter is not null && !filter(entry))) continue;
                ScanStream(entry.DataStream, new List<string>(parts) { name }, depth + 1, sink, entry.Length, cancel);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            sink.Add(Notice(ScanNoticeKind.ReadError, Location(parts), $"tar archive is damaged or cut short: {e.Message}"));
        }
    }

    private bool IsExcluded(string entryPath) => _excludes.Any(r => r.IsMatch(entryPath));

    internal static string Location(IReadOnlyList<string> parts) => string.Join("!", parts);

    internal static ScanItem Notice(ScanNoticeKind kind, string location, string reason) => new(null, new ScanNotice(kind, location, reason));

    /// <summary>Turns one unit's hits into findings: requires/pairing, baseline, verification.</summary>
    internal void Report(List<Hit> hits, IReadOnlyList<string> parts, string kind, List<ScanItem> sink)
    {
        if (hits.Count == 0) return;
        var location = Location(parts);
        // A pattern that requires another is only credible near one of its findings.
        hits = hits.Where(h => h.Pattern.Requires is null || hits.Any(o => o.Suppressed is null &&
            string.Equals(o.Pattern.Id, h.Pattern.Requires, StringComparison.Ordinal) &&
            (h.Line > 0 ? Math.Abs(o.Line - h.Line) <= h.Pattern.WithinLines : Math.Abs(o.CharOffset - h.CharOffset) <= 400))).ToList();
        var findings = new List<SecretFinding>();
        foreach (var h in hits.OrderBy(h => h.CharOffset))
        {
            var fingerprint = Fingerprint.Of(h.Pattern.Id, h.Secret);
            var masked = Redaction.Mask(h.Secret);
            if (h.Suppressed is not null)
            {
                sink.Add(Notice(ScanNoticeKind.Suppressed, $"{location}:{(h.Line > 0 ? h.Line : h.ByteOffset)}", $"{h.Pattern.Id} {masked}: {h.Suppressed}"));
                continue;
            }
            if (_options.Baseline.Contains(fingerprint))
            {
                sink.Add(Notice(ScanNoticeKind.Suppressed, $"{location}:{(h.Line > 0 ? h.Line : h.ByteOffset)}", $"{h.Pattern.Id} {masked}: in the baseline"));
                continue;
            }
            findings.Add(new SecretFinding(h.Secret)
            {
                PatternId = h.Pattern.Id,
                Title = h.Pattern.Title,
                Severity = h.Pattern.Severity,
                Masked = masked,
                Fingerprint = fingerprint,
                Location = location,
                Path = parts[0],
                EntryPath = parts.Count > 1 ? string.Join("!", parts.Skip(1)) : "",
                Line = h.Line,
                Column = h.Column,
                ByteOffset = h.ByteOffset,
                ContentKind = kind,
            });
        }
        AwsPairing.Pair(findings);
        if (_options.Verifier is not null) Verify(findings);
        foreach (var f in findings) sink.Add(new ScanItem(f, null));
    }

    private void Verify(List<SecretFinding> findings)
    {
        foreach (var f in findings)
        {
            var pattern = _options.Catalog.Find(f.PatternId);
            if (pattern?.Verifier is null) continue;
            var pair = f.PairedWith is null ? null : findings.FirstOrDefault(o => o.Fingerprint == f.PairedWith);
            var token = findings.Where(o => o.PatternId == "aws-session-token").OrderBy(o => Math.Abs(o.Line - f.Line)).FirstOrDefault();
            try
            {
                var (result, detail) = _options.Verifier!.Verify(f, pair, token);
                f.Verification = result;
                f.VerificationDetail = detail;
            }
            catch (Exception e)
            {
                f.Verification = SecretVerification.Unknown;
                f.VerificationDetail = Redaction.Scrub(e.Message, [f.Secret, pair?.Secret ?? ""]);
            }
            if (pair is not null) { pair.Verification = f.Verification; pair.VerificationDetail = f.VerificationDetail; }
        }
    }
}

/// <summary>Pairs AWS access key ids with the nearest secret access key found in the same unit.</summary>
internal static class AwsPairing
{
    public static void Pair(List<SecretFinding> findings)
    {
        var ids = findings.Where(f => f.PatternId == "aws-access-key-id").ToList();
        var secrets = findings.Where(f => f.PatternId.StartsWith("aws-secret-access-key", StringComparison.Ordinal)).ToList();
        foreach (var id in ids)
        {
            var best = secrets.Where(s => s.PairedWith is null)
                .OrderBy(s => Math.Abs(s.Line - id.Line)).ThenBy(s => Math.Abs(s.ByteOffset - id.ByteOffset)).FirstOrDefault();
            if (best is null) continue;
            id.PairedWith = best.Fingerprint;
            best.PairedWith = id.Fingerprint;
        }
    }
}

/// <summary>Wildcards for paths: '*' within a segment, '**' across segments, '?' one character; case-insensitive.</summary>
public static class Glob
{
    public static Regex ToRegex(string glob)
    {
        var sb = new StringBuilder("^(?:.*/)?");
        var g = glob.Replace('\\', '/');
        for (var i = 0; i < g.Length; i++)
        {
            var c = g[i];
            if (c == '*' && i + 1 < g.Length && g[i + 1] == '*') { sb.Append(".*"); i++; if (i + 1 < g.Length && g[i + 1] == '/') i++; }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append("(?:/.*)?$");
        return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
