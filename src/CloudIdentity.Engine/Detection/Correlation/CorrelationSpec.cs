using System.Globalization;
using System.Text.RegularExpressions;
using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Engine.Detection.Correlation;

/// <summary>The four correlation types of the Sigma correlation specification.</summary>
public enum CorrelationType
{
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
}

/// <summary>
/// The <c>correlation:</c> section of a Sigma correlation rule, parsed and checked. <see cref="Rules"/> holds the
/// references as written (rule ids or names); <see cref="Referenced"/> the rules they resolve to once linked.
/// </summary>
public sealed class CorrelationSpec
{
    public CorrelationType Type { get; init; }
    /// <summary>The referenced rules as written: ids or names.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
    public IReadOnlyList<string> GroupBy { get; init; } = [];
    public TimeSpan Timespan { get; init; }
    /// <summary>The timespan as written (<c>5m</c>).</summary>
    public string TimespanText { get; init; } = "";
    public CountCondition Condition { get; init; } = CountCondition.Default;
    /// <summary>For value_count: the field whose distinct values are counted.</summary>
    public string? ValueField { get; init; }
    /// <summary>Alias name → (referenced rule name → field in that rule's events).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Aliases { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    /// <summary>True when the referenced rules also report their own findings.</summary>
    public bool Generate { get; init; }

    /// <summary>The referenced rules, in the order of <see cref="Rules"/> (filled by linking).</summary>
    public IReadOnlyList<DetectionRule> Referenced { get; internal set; } = [];

    /// <summary>The field to read for a group-by name (or alias) in the events of one referenced rule.</summary>
    public string FieldFor(string groupByName, DetectionRule rule)
    {
        if (Aliases.TryGetValue(groupByName, out var map))
        {
            if (rule.Name is not null && map.TryGetValue(rule.Name, out var f)) return f;
            if (map.TryGetValue(rule.Id, out var byId)) return byId;
        }
        return groupByName;
    }

    public static TimeSpan ParseTimespan(string text)
    {
        var m = Regex.Match(text.Trim(), "^([0-9]+)([smhdwMy])$");
        if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new SigmaException($"Timespan '{text}' is not a number followed by s, m, h, d, w, M or y.", "timespan");
        return m.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            "w" => TimeSpan.FromDays(7 * n),
            "M" => TimeSpan.FromDays(30 * n),
            _ => TimeSpan.FromDays(365 * n),
        };
    }
}

/// <summary>A correlation condition: one or more of gt/gte/lt/lte/eq/neq, all of which must hold.</summary>
public sealed class CountCondition
{
    public static readonly CountCondition Default = new([]);

    public CountCondition(IReadOnlyList<(string Op, long Value)> terms) => Terms = terms;

    public IReadOnlyList<(string Op, long Value)> Terms { get; }

    public bool IsEmpty => Terms.Count == 0;

    public bool Holds(long count)
    {
        foreach (var (op, v) in Terms)
        {
            bool ok = op switch
            {
                "gt" => count > v,
                "gte" => count >= v,
                "lt" => count < v,
                "lte" => count <= v,
                "eq" => count == v,
                _ => count != v,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>
    /// True when the condition can only become true as the count grows (gt/gte with no upper bound): such a
    /// correlation fires as soon as it holds. Otherwise (lt, lte, eq, neq) it is decided when a window closes.
    /// </summary>
    public bool IsMonotonic => Terms.Count > 0 && Terms.All(t => t.Op is "gt" or "gte");

    public override string ToString() => string.Join(" and ", Terms.Select(t => $"{t.Op} {t.Value}"));
}
