using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>
/// A parsed Sigma condition: <c>and</c>, <c>or</c>, <c>not</c>, parentheses, <c>1 of x*</c>, <c>all of x*</c>,
/// <c>N of x*</c>, <c>any of</c>, and <c>them</c> (all identifiers except those starting with '_').
/// Precedence: not, then and, then or.
/// </summary>
internal abstract class Condition
{
    public abstract bool Evaluate(JsonElement record);

    /// <summary>
    /// For the rule index: every field for which any match requires the record to equal one of the listed values
    /// (case-insensitively). Empty when no such field exists (e.g. under <c>not</c>).
    /// </summary>
    public abstract IReadOnlyList<Equality> RequiredEqualities();

    /// <summary>Never matches: the condition of a correlation rule, which has no detection of its own.</summary>
    public static readonly Condition Never = new NeverCondition();

    private sealed class NeverCondition : Condition
    {
        public override bool Evaluate(JsonElement record) => false;
        public override IReadOnlyList<Equality> RequiredEqualities() => [];
    }

    public static Condition Parse(string text, IReadOnlyDictionary<string, Selection> selections) =>
        new Parser(text, selections).ParseAll();

    private sealed class Ref(Selection selection) : Condition
    {
        public override bool Evaluate(JsonElement record) => selection.Matches(record);
        public override IReadOnlyList<Equality> RequiredEqualities() => selection.RequiredEqualities();
    }

    private sealed class Not(Condition inner) : Condition
    {
        public override bool Evaluate(JsonElement record) => !inner.Evaluate(record);
        public override IReadOnlyList<Equality> RequiredEqualities() => [];
    }

    private sealed class And(Condition[] parts) : Condition
    {
        public override bool Evaluate(JsonElement record)
        {
            foreach (var p in parts) if (!p.Evaluate(record)) return false;
            return true;
        }
        public override IReadOnlyList<Equality> RequiredEqualities() => Equality.All(parts.Select(p => p.RequiredEqualities()));
    }

    private sealed class Or(Condition[] parts) : Condition
    {
        public override bool Evaluate(JsonElement record)
        {
            foreach (var p in parts) if (p.Evaluate(record)) return true;
            return false;
        }
        public override IReadOnlyList<Equality> RequiredEqualities() => Equality.Any(parts.Select(p => p.RequiredEqualities()));
    }

    /// <summary>At least <c>min</c> of the selections (min = count means all).</summary>
    private sealed class Quantified(Selection[] selections, int min) : Condition
    {
        public override bool Evaluate(JsonElement record)
        {
            int hits = 0;
            foreach (var s in selections)
            {
                if (s.Matches(record) && ++hits >= min) return true;
            }
            return false;
        }
        public override IReadOnlyList<Equality> RequiredEqualities() =>
            min >= selections.Length ? Equality.All(selections.Select(s => s.RequiredEqualities()))
            : min == 1 ? Equality.Any(selections.Select(s => s.RequiredEqualities()))
            : [];
    }

    private sealed class Parser
    {
        private readonly List<string> _tokens;
        private readonly IReadOnlyDictionary<string, Selection> _selections;
        private int _pos;
        private readonly string _text;

        public Parser(string text, IReadOnlyDictionary<string, Selection> selections)
        {
            _text = text;
            _selections = selections;
            if (text.Contains('|'))
                throw new SigmaException($"Condition '{text}' uses an aggregation ('|'), which Sigma deprecated; write it as a correlation rule.", "aggregation");
            _tokens = Regex.Matches(text, @"\(|\)|[^\s()]+").Select(m => m.Value).ToList();
            if (_tokens.Count == 0) throw new SigmaException("The condition is empty.", "condition");
        }

        public Condition ParseAll()
        {
            var c = ParseOr();
            if (_pos < _tokens.Count) throw Error($"unexpected '{_tokens[_pos]}'");
            return c;
        }

        private string? Peek => _pos < _tokens.Count ? _tokens[_pos] : null;
        private bool IsWord(string? t, string word) => t is not null && string.Equals(t, word, StringComparison.OrdinalIgnoreCase);

        private Condition ParseOr()
        {
            var parts = new List<Condition> { ParseAnd() };
            while (IsWord(Peek, "or")) { _pos++; parts.Add(ParseAnd()); }
            return parts.Count == 1 ? parts[0] : new Or(parts.ToArray());
        }

        private Condition ParseAnd()
        {
            var parts = new List<Condition> { ParseNot() };
            while (IsWord(Peek, "and")) { _pos++; parts.Add(ParseNot()); }
            return parts.Count == 1 ? parts[0] : new And(parts.ToArray());
        }

        private Condition ParseNot()
        {
            if (IsWord(Peek, "not")) { _pos++; return new Not(ParseNot()); }
            return ParsePrimary();
        }

        private Condition ParsePrimary()
        {
            var t = Peek ?? throw Error("it ends too early");
            if (t == "(")
            {
                _pos++;
                var inner = ParseOr();
                if (Peek != ")") throw Error("a '(' is not closed");
                _pos++;
                return inner;
            }
            if (t == ")") throw Error("unexpected ')'");
            if (_pos + 1 < _tokens.Count && IsWord(_tokens[_pos + 1], "of"))
            {
                _pos += 2;
                var target = Peek ?? throw Error($"'{t} of' needs a name pattern or 'them'");
                _pos++;
                var selected = Select(target);
                if (selected.Length == 0) throw Error($"'{t} of {target}' matches no search identifier");
                if (IsWord(t, "all")) return new Quantified(selected, selected.Length);
                if (IsWord(t, "any")) return new Quantified(selected, 1);
                if (int.TryParse(t, out var n) && n > 0) return new Quantified(selected, n);
                throw Error($"'{t} of' is not a valid quantifier");
            }
            if (t.Contains('*') || t.Contains('?')) throw Error($"'{t}': a wildcard name needs '1 of' or 'all of'");
            if (IsWord(t, "and") || IsWord(t, "or") || IsWord(t, "of")) throw Error($"unexpected '{t}'");
            _pos++;
            if (!_selections.TryGetValue(t, out var selection)) throw Error($"'{t}' is not a search identifier of this rule");
            return new Ref(selection);
        }

        private Selection[] Select(string target)
        {
            if (IsWord(target, "them"))
                return _selections.Where(kv => !kv.Key.StartsWith('_')).Select(kv => kv.Value).ToArray();
            var pattern = SigmaPattern.Parse(target).Compile(caseSensitive: true);
            return _selections.Where(kv => pattern(kv.Key)).Select(kv => kv.Value).ToArray();
        }

        private SigmaException Error(string what) => new($"Condition '{_text}': {what}.", "condition");
    }
}

/// <summary>A field whose value must be one of <see cref="Values"/> for a rule to match (used by the rule index).</summary>
internal sealed record Equality(string Field, IReadOnlyList<string> Values)
{
    /// <summary>AND: every part's requirements hold; for a field required twice, the smaller value set is kept.</summary>
    public static IReadOnlyList<Equality> All(IEnumerable<IReadOnlyList<Equality>> parts)
    {
        var byField = new Dictionary<string, Equality>(StringComparer.Ordinal);
        foreach (var e in parts.SelectMany(p => p))
            if (!byField.TryGetValue(e.Field, out var prev) || e.Values.Count < prev.Values.Count) byField[e.Field] = e;
        return byField.Values.ToArray();
    }

    /// <summary>OR: only fields required by every alternative, with the union of their values.</summary>
    public static IReadOnlyList<Equality> Any(IEnumerable<IReadOnlyList<Equality>> alternatives)
    {
        Dictionary<string, List<string>>? common = null;
        foreach (var alt in alternatives)
        {
            var map = alt.ToDictionary(e => e.Field, e => e.Values, StringComparer.Ordinal);
            if (common is null) { common = map.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal); continue; }
            foreach (var field in common.Keys.ToList())
            {
                if (map.TryGetValue(field, out var values)) common[field].AddRange(values);
                else common.Remove(field);
            }
        }
        return common is null ? [] : common.Select(kv => new Equality(kv.Key, kv.Value)).ToArray();
    }
}
