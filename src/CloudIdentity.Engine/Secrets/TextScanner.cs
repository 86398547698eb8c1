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
    private static readonly string[] AllowMarkers = ["cloudid:allow", "cloudid-ignore", "gitleaks:allow", "pragma: allowlist secret", "trufflehog:ignore"];

    public List<Hit> Scan(TextReader reader, OffsetMode mode, long baseByte, Func<long, long>? customOffset = null, bool lines = true)
    {
        var hits = new List<Hit>();
        var buf = new char[chunkChars + 2 * overlapChars];
        int len = 0, reportStart = 0;
        long bufStartChar = 0, bufStartByte = baseByte;
        int lineAtBufStart = 1, colAtBufStart = 1;
        var eof = false;
        while (!eof)
        {
            while (len < buf.Length)
            {
                var n = reader.Read(buf, len, buf.Length - len);
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

    private void ScanBuffer(string text, int reportStart, int reportEnd, List<Hit> hits, long bufStartChar, long bufStartByte,
        int lineAtBufStart, int colAtBufStart, OffsetMode mode, Func<long, long>? customOffset, bool lines)
    {
        var chunkHits = new List<(Hit Hit, int Index)>();
        var seenPatterns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in catalog.Patterns.OrderBy(p => p.Requires is null ? 0 : 1))
        {
            if (p.Requires is not null && !seenPatterns.Contains(p.Requires)) continue;
            if (p.Keywords.Count > 0 && !HasKeyword(text, p)) continue;
            for (var m = p.Regex.Match(text); m.Success; m = m.NextMatch())
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

    private static bool HasKeyword(string text, SecretPattern p)
    {
        var cmp = p.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var k in p.Keywords) if (text.Contains(k, cmp)) return true;
        return false;
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
