using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>
/// One compiled field specification (<c>field|modifier|...: value(s)</c>), or a keyword search when
/// <see cref="Field"/> is null. Values are ORed unless the <c>all</c> modifier makes them ANDed.
/// </summary>
internal sealed class FieldMatcher
{
    public string? Field { get; }
    private readonly Func<JsonElement, bool>[] _values;
    private readonly bool _all;

    /// <summary>For the rule index: exact (case-insensitive) values this field must equal, or null.</summary>
    public IReadOnlyList<string>? EqualityValues { get; }

    private FieldMatcher(string? field, Func<JsonElement, bool>[] values, bool all, IReadOnlyList<string>? equality)
    {
        Field = field;
        _values = values;
        _all = all;
        EqualityValues = equality;
    }

    public bool Matches(JsonElement record)
    {
        if (_all)
        {
            foreach (var v in _values) if (!v(record)) return false;
            return true;
        }
        foreach (var v in _values) if (v(record)) return true;
        return false;
    }

    public static FieldMatcher Compile(string? field, IReadOnlyList<string> modifierNames, IReadOnlyList<object?> values, SigmaCompileOptions options)
    {
        var mods = new Modifiers(modifierNames);
        if (values.Count == 0) throw new SigmaException($"Field '{field}' has an empty value list.");
        if (values.Count > 1 && values.Any(v => v is null))
            throw new SigmaException($"Field '{field}': null cannot be part of a value list; use a separate selection.", "null");

        var matchers = new List<Func<JsonElement, bool>>();
        List<string>? equality = field is not null && modifierNames.Count == 0 && values.All(v => v is string s && !SigmaPattern.Parse(s).HasWildcards) && values.Count <= 64
            ? values.Select(v => SigmaPattern.Parse((string)v!).LiteralText).ToList()
            : null;

        foreach (var raw in values)
        {
            if (mods.Exists)
            {
                if (raw is not bool want) throw new SigmaException($"Field '{field}|exists' needs true or false.", "exists");
                var f = field ?? throw new SigmaException("'exists' needs a field.", "exists");
                matchers.Add(r => FieldValues.TryGet(r, f, out _) == want);
                continue;
            }
            if (raw is null)
            {
                if (modifierNames.Count > 0) throw new SigmaException($"Field '{field}': null cannot take modifiers.", "null");
                var f = field ?? throw new SigmaException("A keyword cannot be null.");
                matchers.Add(r => !FieldValues.TryGet(r, f, out var v) || v.ValueKind == JsonValueKind.Null);
                continue;
            }
            if (mods.Compare is not null)
            {
                matchers.Add(Leaf(field, CompileCompare(mods.Compare, raw, field)));
                continue;
            }
            if (mods.Re)
            {
                if (raw is not string pattern) throw new SigmaException($"Field '{field}|re' needs a string.", "re");
                matchers.Add(Leaf(field, CompileRegex(pattern, mods)));
                continue;
            }
            if (mods.Cidr)
            {
                matchers.Add(Leaf(field, CompileCidr(raw.ToString()!, field)));
                continue;
            }
            if (mods.FieldRef)
            {
                if (raw is not string other || field is null) throw new SigmaException("'fieldref' needs a field name as its value.", "fieldref");
                matchers.Add(CompileFieldRef(field, other, mods));
                continue;
            }
            if (field is null && raw is not string)
            {
                // A keyword is text searched for in every value, whatever YAML type it was written as.
                var keyword = raw is bool kb ? (kb ? "true" : "false") : Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                foreach (var pattern in Transform(keyword, mods, options, field)) matchers.Add(KeywordMatcher(pattern, mods.Cased));
                continue;
            }
            if (raw is bool b && modifierNames.Count == 0)
            {
                matchers.Add(Leaf(field, v => v.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False)
                    || (v.ValueKind == JsonValueKind.String && string.Equals(v.GetString(), b ? "true" : "false", StringComparison.OrdinalIgnoreCase))));
                continue;
            }
            if (raw is long or double && modifierNames.Count == 0)
            {
                var number = Convert.ToDecimal(raw, CultureInfo.InvariantCulture);
                var text = Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                matchers.Add(Leaf(field, v => NumberOf(v) is { } n ? n == number : string.Equals(FieldValues.Text(v), text, StringComparison.OrdinalIgnoreCase)));
                continue;
            }
            var textValue = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
            foreach (var pattern in Transform(textValue, mods, options, field))
            {
                var match = pattern.Compile(mods.Cased);
                matchers.Add(field is null ? KeywordMatcher(pattern, mods.Cased) : Leaf(field, v => FieldValues.Text(v) is { } t && match(t)));
            }
        }
        if (mods.All && field is null && matchers.Count == 0) throw new SigmaException("Empty keyword list.");
        return new FieldMatcher(field, matchers.ToArray(), mods.All, equality);
    }

    /// <summary>Applies the string modifiers in the order written, producing one or more patterns.</summary>
    private static IEnumerable<SigmaPattern> Transform(string value, Modifiers mods, SigmaCompileOptions options, string? field)
    {
        IEnumerable<SigmaPattern> patterns = [SigmaPattern.Parse(value)];
        Encoding? encoding = null;
        foreach (var m in mods.Ordered)
        {
            switch (m)
            {
                case "expand":
                    patterns = patterns.SelectMany(p => Expand(p, options)).ToArray();
                    break;
                case "windash":
                    patterns = patterns.SelectMany(WindashVariants).ToArray();
                    break;
                case "wide" or "utf16le":
                    encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
                    patterns = ApplyEncodingAfterBase64(patterns, mods, m, encoding);
                    break;
                case "utf16be":
                    encoding = new UnicodeEncoding(bigEndian: true, byteOrderMark: false);
                    patterns = ApplyEncodingAfterBase64(patterns, mods, m, encoding);
                    break;
                case "utf16":
                    encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
                    patterns = ApplyEncodingAfterBase64(patterns, mods, m, encoding);
                    break;
                case "base64":
                case "base64offset":
                {
                    var enc = encoding ?? new UTF8Encoding(false);
                    patterns = patterns.SelectMany(p =>
                    {
                        if (p.HasWildcards) throw new SigmaException($"Field '{field}': a value with wildcards cannot be base64-encoded.", m);
                        var bytes = enc.GetPreamble().Concat(enc.GetBytes(p.LiteralText)).ToArray();
                        return m == "base64" ? [SigmaPattern.Literal(Convert.ToBase64String(bytes))] : Base64Offsets(bytes);
                    }).ToArray();
                    break;
                }
                case "contains":
                    patterns = patterns.Select(p => p.Prepend('*').Append('*')).ToArray();
                    break;
                case "startswith":
                    patterns = patterns.Select(p => p.Append('*')).ToArray();
                    break;
                case "endswith":
                    patterns = patterns.Select(p => p.Prepend('*')).ToArray();
                    break;
            }
        }
        return patterns;
    }

    /// <summary>An encoding written after base64 re-encodes the base64 text itself.</summary>
    private static IEnumerable<SigmaPattern> ApplyEncodingAfterBase64(IEnumerable<SigmaPattern> patterns, Modifiers mods, string modifier, Encoding encoding)
    {
        var order = mods.Ordered.ToList();
        int b64 = order.FindIndex(x => x is "base64" or "base64offset");
        if (b64 < 0 || b64 > order.IndexOf(modifier)) return patterns; // applies at base64 time
        return patterns.Select(p => p.MapLiterals(s => new string(encoding.GetBytes(s).Select(x => (char)x).ToArray()))).ToArray();
    }

    /// <summary>base64offset: the three encodings of a value at byte offsets 0, 1 and 2, trimmed of unstable characters.</summary>
    internal static IEnumerable<SigmaPattern> Base64Offsets(byte[] value)
    {
        int[] start = [0, 2, 3];
        int?[] endTrim = [null, 3, 2];
        for (int i = 0; i < 3; i++)
        {
            var shifted = new byte[i + value.Length];
            for (int k = 0; k < i; k++) shifted[k] = (byte)' ';
            value.CopyTo(shifted, i);
            var b64 = Convert.ToBase64String(shifted);
            var trim = endTrim[(value.Length + i) % 3] ?? 0;
            var end = b64.Length - trim;
            yield return SigmaPattern.Literal(end > start[i] ? b64[start[i]..end] : "");
        }
    }

    private static readonly string[] Dashes = ["-", "/", "\u2013", "\u2014", "\u2015"];

    /// <summary>windash: a '-' or '/' at the start of a word becomes each of the five dash forms.</summary>
    internal static IEnumerable<SigmaPattern> WindashVariants(SigmaPattern pattern)
    {
        var text = pattern.ToString();
        var positions = new List<int>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is '-' or '/' && (i == 0 || char.IsWhiteSpace(text[i - 1]))) positions.Add(i);
        }
        if (positions.Count == 0) return [pattern];
        var results = new List<SigmaPattern>();
        var chars = text.ToCharArray();
        void Recurse(int k, StringBuilder prefix, int from)
        {
            if (k == positions.Count)
            {
                prefix.Append(chars, from, chars.Length - from);
                results.Add(SigmaPattern.Parse(prefix.ToString()));
                return;
            }
            foreach (var dash in Dashes)
            {
                var sb = new StringBuilder(prefix.ToString());
                sb.Append(chars, from, positions[k] - from).Append(dash);
                Recurse(k + 1, sb, positions[k] + 1);
            }
        }
        Recurse(0, new StringBuilder(), 0);
        return results;
    }

    private static IEnumerable<SigmaPattern> Expand(SigmaPattern pattern, SigmaCompileOptions options)
    {
        var text = pattern.ToString();
        var match = Regex.Match(text, "%([A-Za-z0-9_.-]+)%");
        if (!match.Success) return [pattern];
        var name = match.Groups[1].Value;
        if (options.Placeholders is null || !options.Placeholders.TryGetValue(name, out var replacements) || replacements.Count == 0)
        {
            if (options.UnresolvedPlaceholders == PlaceholderPolicy.Error || options.UnresolvedSink is null)
                throw new SigmaException($"Placeholder '%{name}%' has no value; pass it with -Placeholder.", "expand");
            // pySigma's wildcard placeholder transformation: an unknown placeholder matches any value.
            options.UnresolvedSink.Add(name);
            replacements = ["*"];
        }
        return replacements.SelectMany(r => Expand(SigmaPattern.Parse(text.Replace(match.Value, r)), options)).ToArray();
    }

    private static Func<JsonElement, bool> KeywordMatcher(SigmaPattern pattern, bool cased)
    {
        // Keywords search every value of the record; a keyword without wildcards matches as a substring.
        var p = pattern.Parts.Count > 0 && pattern.Parts[0] is '*' ? pattern : pattern.Prepend('*');
        p = p.Parts[^1] is '*' ? p : p.Append('*');
        var match = p.Compile(cased);
        return r => FieldValues.Leaves(r).Any(match);
    }

    /// <summary>Applies a leaf test to a field's value; a list value matches when any element does.</summary>
    private static Func<JsonElement, bool> Leaf(string? field, Func<JsonElement, bool> test)
    {
        if (field is null) return r => FieldValues.LeafElements(r).Any(test);
        return r =>
        {
            if (!FieldValues.TryGet(r, field, out var v) || v.ValueKind == JsonValueKind.Null) return false;
            if (v.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in v.EnumerateArray()) if (test(item)) return true;
                return false;
            }
            return test(v);
        };
    }

    private static decimal? NumberOf(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d)) return d;
        // Numeric strings compare as numbers; hex or other notations are never coerced.
        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var s)) return s;
        return null;
    }

    private static Func<JsonElement, bool> CompileCompare(string op, object raw, string? field)
    {
        decimal limit = raw switch
        {
            long l => l,
            double d => (decimal)d,
            string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
            _ => throw new SigmaException($"Field '{field}|{op}' needs a number.", op),
        };
        return op switch
        {
            "gt" => v => NumberOf(v) is { } n && n > limit,
            "gte" => v => NumberOf(v) is { } n && n >= limit,
            "lt" => v => NumberOf(v) is { } n && n < limit,
            _ => v => NumberOf(v) is { } n && n <= limit,
        };
    }

    private static Func<JsonElement, bool> CompileRegex(string pattern, Modifiers mods)
    {
        var options = RegexOptions.CultureInvariant;
        if (mods.Ordered.Contains("i")) options |= RegexOptions.IgnoreCase;
        if (mods.Ordered.Contains("m")) options |= RegexOptions.Multiline;
        if (mods.Ordered.Contains("s")) options |= RegexOptions.Singleline;
        Regex regex;
        try
        {
            regex = new Regex(pattern, options, TimeSpan.FromMilliseconds(250));
        }
        catch (ArgumentException e)
        {
            throw new SigmaException($"Invalid regular expression '{pattern}': {e.Message}", "re");
        }
        return v =>
        {
            var text = FieldValues.Text(v);
            if (text is null) return false;
            try { return regex.IsMatch(text); }
            catch (RegexMatchTimeoutException) { return false; }
        };
    }

    private static Func<JsonElement, bool> CompileCidr(string cidr, string? field)
    {
        if (!IPNetwork.TryParse(cidr.Trim(), out var network))
            throw new SigmaException($"Field '{field}|cidr': '{cidr}' is not a CIDR network.", "cidr");
        return v => v.ValueKind == JsonValueKind.String && IPAddress.TryParse(v.GetString(), out var ip) && network.Contains(ip.IsIPv4MappedToIPv6 && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip.MapToIPv4() : ip);
    }

    private static Func<JsonElement, bool> CompileFieldRef(string field, string other, Modifiers mods)
    {
        var cmp = mods.Cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return r =>
        {
            if (!FieldValues.TryGet(r, field, out var a) || !FieldValues.TryGet(r, other, out var b)) return false;
            var at = FieldValues.Text(a);
            var bt = FieldValues.Text(b);
            if (at is null || bt is null) return false;
            return mods.Position switch
            {
                "contains" => at.Contains(bt, cmp),
                "startswith" => at.StartsWith(bt, cmp),
                "endswith" => at.EndsWith(bt, cmp),
                _ => string.Equals(at, bt, cmp),
            };
        };
    }
}

/// <summary>Options that affect rule compilation.</summary>
public sealed record SigmaCompileOptions
{
    /// <summary>Values for <c>expand</c> placeholders (<c>%name%</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Placeholders { get; init; }

    /// <summary>What a placeholder without a value does: a load error (default), or match any value.</summary>
    public PlaceholderPolicy UnresolvedPlaceholders { get; init; } = PlaceholderPolicy.Error;

    /// <summary>Per-rule collector of placeholders compiled as wildcards (set by the loader).</summary>
    internal HashSet<string>? UnresolvedSink { get; init; }
}

/// <summary>How <c>expand</c> treats a placeholder that has no value in the user's map.</summary>
public enum PlaceholderPolicy
{
    /// <summary>The rule does not load; the problem names the placeholder.</summary>
    Error,
    /// <summary>The placeholder becomes <c>*</c> (any non-null value), as pySigma's wildcard placeholder transformation does; the rule lists it in <c>UnresolvedPlaceholders</c>.</summary>
    Wildcard,
}
