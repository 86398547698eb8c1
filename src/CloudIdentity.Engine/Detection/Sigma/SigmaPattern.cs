using System.Text;

namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>
/// A Sigma string value: literal text with <c>*</c> (any run) and <c>?</c> (any one character) wildcards.
/// Parsing follows the spec's escape rules: a backslash escapes only <c>*</c>, <c>?</c> and itself; any other
/// backslash is literal (so a trailing backslash stays a backslash and cannot escape a modifier's wildcard).
/// </summary>
public sealed class SigmaPattern
{
    /// <summary>Parts: a string is literal text; a char is a wildcard ('*' or '?').</summary>
    public IReadOnlyList<object> Parts { get; }

    private SigmaPattern(IReadOnlyList<object> parts) => Parts = Normalize(parts);

    public static SigmaPattern Parse(string value)
    {
        var parts = new List<object>();
        var text = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                text.Append(value[++i]);
            }
            else if (c is '*' or '?')
            {
                Flush(parts, text);
                parts.Add(c);
            }
            else
            {
                text.Append(c);
            }
        }
        Flush(parts, text);
        return new SigmaPattern(parts);
    }

    public static SigmaPattern Literal(string text) => new([text]);

    private static void Flush(List<object> parts, StringBuilder text)
    {
        if (text.Length == 0) return;
        parts.Add(text.ToString());
        text.Clear();
    }

    private static IReadOnlyList<object> Normalize(IReadOnlyList<object> parts)
    {
        // Merge adjacent literals and collapse runs of '*'.
        var result = new List<object>();
        foreach (var p in parts)
        {
            if (p is string s && result.Count > 0 && result[^1] is string prev) result[^1] = prev + s;
            else if (p is '*' && result.Count > 0 && result[^1] is '*') continue;
            else if (p is string { Length: 0 }) continue;
            else result.Add(p);
        }
        return result;
    }

    public bool HasWildcards => Parts.Any(p => p is char);

    public SigmaPattern Prepend(object part) => new([part, .. Parts]);
    public SigmaPattern Append(object part) => new([.. Parts, part]);

    /// <summary>The literal text (only valid without wildcards).</summary>
    public string LiteralText => string.Concat(Parts.OfType<string>());

    /// <summary>Maps every literal part (wildcards stay), e.g. for windash expansion.</summary>
    public SigmaPattern MapLiterals(Func<string, string> map) => new(Parts.Select(p => p is string s ? map(s) : p).ToArray());

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var p in Parts)
        {
            if (p is char c) sb.Append(c);
            else sb.Append(((string)p).Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?"));
        }
        return sb.ToString();
    }

    /// <summary>Compiles to the fastest matcher for its shape.</summary>
    public Func<string, bool> Compile(bool caseSensitive)
    {
        var cmp = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var p = Parts;
        if (p.Count == 0) return s => s.Length == 0;
        if (p.Count == 1 && p[0] is string exact) return s => string.Equals(s, exact, cmp);
        if (p.Count == 1 && p[0] is '*') return _ => true;
        if (p.Count == 2 && p[0] is string pre && p[1] is '*') return s => s.StartsWith(pre, cmp);
        if (p.Count == 2 && p[0] is '*' && p[1] is string suf) return s => s.EndsWith(suf, cmp);
        if (p.Count == 3 && p[0] is '*' && p[1] is string mid && p[2] is '*') return s => s.Contains(mid, cmp);
        var pattern = new List<(char Ch, bool Wild)>();
        foreach (var part in p)
        {
            if (part is char w) pattern.Add((w, true));
            else foreach (var ch in (string)part) pattern.Add((ch, false));
        }
        var compiled = pattern.ToArray();
        return s => Glob(s, compiled, caseSensitive);
    }

    /// <summary>Iterative glob matching with backtracking to the last '*'.</summary>
    private static bool Glob(string s, (char Ch, bool Wild)[] pattern, bool caseSensitive)
    {
        int si = 0, pi = 0, starP = -1, starS = 0;
        while (si < s.Length)
        {
            if (pi < pattern.Length && pattern[pi] is { Wild: true, Ch: '*' }) { starP = pi++; starS = si; continue; }
            if (pi < pattern.Length && ((pattern[pi] is { Wild: true, Ch: '?' }) || CharEq(pattern[pi].Ch, s[si], caseSensitive))) { pi++; si++; continue; }
            if (starP >= 0) { pi = starP + 1; si = ++starS; continue; }
            return false;
        }
        while (pi < pattern.Length && pattern[pi] is { Wild: true, Ch: '*' }) pi++;
        return pi == pattern.Length;
    }

    private static bool CharEq(char a, char b, bool caseSensitive) =>
        a == b || (!caseSensitive && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
