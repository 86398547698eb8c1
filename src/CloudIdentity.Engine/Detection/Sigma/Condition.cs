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

    /// <summary>A field and values that any match requires (for the rule index), or null.</summary>
    public abstract (string Field, IReadOnlyList<string> Values)? RequiredEquality();

    /// <summary>Never matches: the condition of a correlation rule, which has no detection of its own.</summary>
    public static readonly Condition Never = new NeverCondition();

    private sealed class NeverCondition : Condition
    {
        public override bool Evaluate(JsonElement record) => false;
        public override (string, IReadOnlyList<string>)? RequiredEquality() => null;
    }

    public static Condition Parse(string text, IReadOnlyDictionary<string, Selection> selections) =>
        new Parser(text, selections).ParseAll();

    private sealed class Ref(Selection selection) : Condition
    {
        public override bool Evaluate(JsonElement record) => selection.Matches(record);
        public override (string, IReadOnlyList<string>)? RequiredEquality() => selection.RequiredEquality();
    }

    private sealed class Not(Condition inner) : Condition
    {
        public override bool Evaluate(JsonElement record) => !inner.Evaluate(record);
        public override (string, IReadOnlyList<string>)? RequiredEquality() => null;
    }

    private sealed class And(Condition[] parts) : Condition
    {
        public override bool Evaluate(JsonElement record)
        {
            foreach (var p in parts) if (!p.Evaluate(record)) return false;
            return true;
        }
        public override (string, IReadOnlyList<string>)? RequiredEquality() =>
            parts.Select(p => p.RequiredEquality()).FirstOrDefault(e => e is not null);
    }

    private sealed class Or(Condition[] parts) : Condition
    {
        public override bool Evaluate(JsonElement record)
        {
            foreach (var p in parts) if (p.Evaluate(record)) return true;
            return false;
        }
        public override (string, IReadOnlyList<string>)? RequiredEquality() => Union(parts.Select(p => p.RequiredEquality()));
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
        public override (string, IReadOnlyList<string>)? RequiredEquality() =>
            min >= selections.Length
                ? selections.Select(s => s.RequiredEquality()).FirstOrDefault(e => e is not null)
                : min == 1 ? Union(selections.Select(s => s.RequiredEquality())) : null;
    }

    private static (string, IReadOnlyList<string>)? Union(IEnumerable<(string Field, IReadOnlyList<string> Values)?> items)
    {
        string? field = null;
        var values = new List<string>();
        foreach (var e in items)
        {
            if (e is null) return null;
            if (field is null) field = e.Value.Field;
            else if (field != e.Value.Field) return null;
            values.AddRange(e.Value.Values);
        }
        return field is null ? null : (field, values);
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
