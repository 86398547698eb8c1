using System.Text;

namespace CloudIdentity.Engine.Secrets;

/// <summary>How byte offsets are worked out from character positions.</summary>
internal enum OffsetMode { Utf8, Utf16, Custom }

/// <summary>
/// Runs the catalog over text read in chunks. Each buffer is [context | report region | look-ahead]; a match is
/// reported only when it starts in the report region, and the next buffer keeps the previous look-ahead plus the
/// same amount of context, so a secret across a read boundary is found exactly once (BR-40) as long as no match
/// is longer than the overlap.
/// </summary>
internal sealed class TextScanner(PatternCatalog catalog, int chunkChars, int overlapChars)
{
    private readonly IReadOnlyList<SecretPattern> _ordered = catalog.Patterns.OrderBy(p => p.Requires is null ? 0 : 1).ToList();

    private static readonly string[] AllowMarkers = ["cloudid:allow", "cloudid-ignore", "gitleaks:allow", "pragma: allowlist secret", "trufflehog:ignore"];

    public List<Hit> Scan(TextReader reader, OffsetMode mode, long baseByte, Func<long, long>? customOffset = null, bool lines = true)
    {
        var hits = new List<Hit>();
        var capacity = chunkChars + 2 * overlapChars;
        var buf = System.Buffers.ArrayPool<char>.Shared.Rent(capacity);
        try
        {
        int len = 0, reportStart = 0;
        long bufStartChar = 0, bufStartByte = baseByte;
        int lineAtBufStart = 1, colAtBufStart = 1;
        var eof = false;
        while (!eof)
        {
            while (len < capacity)
            {
                var n = reader.Read(buf, len, capacity - len);
                if (n == 0) { eof = true; break; }
                len += n;
            }
            var reportEnd = eof ? len : len - overlapChars;
            if (reportEnd > reportStart || (eof && len > 0))
            {
                var text = new string(buf, 0, len);
                ScanBuffer(text, reportStart, reportEnd, hits, bufStartChar, bufStartByte, lineAtBufStart, colAtBufStart, mode, customOffset, lines);
            }
            if (eof) break;
            var keepFrom = Math.Max(0, reportEnd - overlapChars);
            var dropped = buf.AsSpan(0, keepFrom);
            var nl = dropped.Count('\n');
            if (nl > 0) { lineAtBufStart += nl; colAtBufStart = keepFrom - dropped.LastIndexOf('\n'); }
            else colAtBufStart += keepFrom;
            if (mode == OffsetMode.Utf8) bufStartByte += Encoding.UTF8.GetByteCount(dropped);
            bufStartChar += keepFrom;
            Array.Copy(buf, keepFrom, buf, 0, len - keepFrom);
            len -= keepFrom;
            reportStart = reportEnd - keepFrom;
        }
        return hits;
        }
        finally { System.Buffers.ArrayPool<char>.Shared.Return(buf); }
    }

    private void ScanBuffer(string text, int reportStart, int reportEnd, List<Hit> hits, long bufStartChar, long bufStartByte,
        int lineAtBufStart, int colAtBufStart, OffsetMode mode, Func<long, long>? customOffset, bool lines)
    {
        var chunkHits = new List<(Hit Hit, int Index)>();
        var seenPatterns = new HashSet<string>(StringComparer.Ordinal);
        // Keywords are searched with ordinal comparisons (vectorised) in a lower-cased copy; the copy has the same length.
        var lower = text.ToLowerInvariant();
        foreach (var p in _ordered)
        {
            if (p.Requires is not null && !seenPatterns.Contains(p.Requires)) continue;
            foreach (var m in Matches(text, lower, p))
            {
                var g = m.Groups["secret"];
                var group = g.Success ? g : m.Groups[0];
                if (group.Index < reportStart || group.Index >= reportEnd) continue;
                var secret = group.Value;
                var (reason, silent) = MatchFilters.Check(p, secret);
                if (reason is not null && silent) continue;
                seenPatterns.Add(p.Id);
                chunkHits.Add((new Hit { Pattern = p, Secret = secret, CharOffset = bufStartChar + group.Index, Length = group.Length, Suppressed = reason }, group.Index));
            }
        }
        if (chunkHits.Count == 0) return;
        // One finding per span: the most specific pattern (lowest priority number) wins overlapping matches.
        var accepted = new List<(Hit Hit, int Index)>();
        foreach (var h in chunkHits.OrderBy(h => h.Hit.Pattern.Priority).ThenBy(h => h.Index))
        {
            if (accepted.Any(a => a.Index < h.Index + h.Hit.Length && h.Index < a.Index + a.Hit.Length)) continue;
            accepted.Add(h);
        }
        accepted.Sort((a, b) => a.Index.CompareTo(b.Index));
        int cursor = 0, line = lineAtBufStart, lastNl = -1;
        long byteCursor = bufStartByte; int byteCharCursor = 0;
        foreach (var (hit, index) in accepted)
        {
            var span = text.AsSpan(cursor, index - cursor);
            var nl = span.Count('\n');
            if (nl > 0) { line += nl; lastNl = cursor + span.LastIndexOf('\n'); }
            cursor = index;
            var column = lastNl >= 0 ? index - lastNl : colAtBufStart + index;
            long byteOffset;
            switch (mode)
            {
                case OffsetMode.Utf8:
                    byteCursor += Encoding.UTF8.GetByteCount(text.AsSpan(byteCharCursor, index - byteCharCursor));
                    byteCharCursor = index;
                    byteOffset = byteCursor;
                    break;
                case OffsetMode.Utf16: byteOffset = bufStartByte + 2L * (bufStartChar + index); break;
                default: byteOffset = customOffset!(bufStartChar + index); break;
            }
            var withLine = new Hit
            {
                Pattern = hit.Pattern, Secret = hit.Secret, CharOffset = hit.CharOffset, Length = hit.Length,
                Line = lines ? line : 0, Column = lines ? column : 0, ByteOffset = byteOffset, Suppressed = hit.Suppressed,
            };
            if (withLine.Suppressed is null && HasAllowMarker(text, index)) withLine.Suppressed = "inline allow comment";
            hits.Add(withLine);
        }
    }

    private const int WindowReach = 1000;

    /// <summary>
    /// Runs the pattern only where it can match: single-line patterns on the lines (at most 1000 characters either
    /// side) around keyword occurrences, multi-line patterns on the whole buffer once a keyword occurs.
    /// </summary>
    private static IEnumerable<System.Text.RegularExpressions.Match> Matches(string text, string lower, SecretPattern p)
    {
        if (p.Keywords.Count == 0)
        {
            for (var m = p.Regex.Match(text); m.Success; m = m.NextMatch()) yield return m;
            yield break;
        }
        var haystack = p.CaseSensitive ? text : lower;
        var keywords = p.CaseSensitive ? p.Keywords : p.LowerKeywords;
        if (p.Multiline)
        {
            if (!keywords.Any(k => haystack.Contains(k, StringComparison.Ordinal))) yield break;
            for (var m = p.Regex.Match(text); m.Success; m = m.NextMatch()) yield return m;
            yield break;
        }
        var windows = new List<(int Start, int End)>();
        foreach (var k in keywords)
        {
            for (var at = haystack.IndexOf(k, StringComparison.Ordinal); at >= 0; at = at + k.Length < haystack.Length ? haystack.IndexOf(k, at + k.Length, StringComparison.Ordinal) : -1)
            {
                var lineStart = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
                var lineEnd = text.IndexOf('\n', at);
                if (lineEnd < 0) lineEnd = text.Length;
                windows.Add((Math.Max(lineStart, at - WindowReach), Math.Min(lineEnd, at + k.Length + WindowReach)));
                // Short line: its window covers it, so search on from the next line. Long line: keep looking on it.
                if (lineEnd - at <= WindowReach) { if (lineEnd >= text.Length) break; at = Math.Max(at, lineEnd - k.Length); }
            }
        }
        if (windows.Count == 0) yield break;
        windows.Sort();
        var merged = new List<(int Start, int End)> { windows[0] };
        foreach (var w in windows.Skip(1))
        {
            var last = merged[^1];
            if (w.Start <= last.End) merged[^1] = (last.Start, Math.Max(last.End, w.End));
            else merged.Add(w);
        }
        foreach (var (start, end) in merged)
            for (var m = p.Regex.Match(text, start, end - start); m.Success; m = m.NextMatch()) yield return m;
    }

    private static bool HasAllowMarker(string text, int index)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var end = text.IndexOf('\n', index);
        var line = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
        foreach (var marker in AllowMarkers) if (line.Contains(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
