using System.Globalization;
using CloudIdentity.Engine.Detection.Sigma;
using YamlDotNet.RepresentationModel;

namespace CloudIdentity.Engine.Detection.Correlation;

/// <summary>Parses and checks the <c>correlation:</c> section of a rule; anything invalid is a <see cref="SigmaException"/>.</summary>
internal static class CorrelationParser
{
    private static readonly HashSet<string> Keys = ["type", "rules", "group-by", "timespan", "timeframe", "condition", "aliases", "generate", "x-new-value"];
    private static readonly HashSet<string> Ops = ["gt", "gte", "lt", "lte", "eq", "neq"];

    public static CorrelationSpec Parse(YamlMappingNode map, YamlNode? topLevelGenerate)
    {
        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""))
            if (!Keys.Contains(key)) throw new SigmaException($"Unknown correlation attribute '{key}'.", "correlation");
        var typeText = RuleLoader.Text(map, "type") ?? throw new SigmaException("The correlation has no 'type'.", "correlation");
        var type = typeText switch
        {
            "event_count" => CorrelationType.EventCount,
            "value_count" => CorrelationType.ValueCount,
            "temporal" => CorrelationType.Temporal,
            "temporal_ordered" => CorrelationType.TemporalOrdered,
            _ => throw new SigmaException($"Unknown correlation type '{typeText}' (event_count, value_count, temporal, temporal_ordered).", "correlation"),
        };
        var rules = RuleLoader.List(map, "rules");
        if (rules.Count == 0) throw new SigmaException("The correlation refers to no rules ('rules').", "correlation");
        if (rules.Distinct(StringComparer.Ordinal).Count() != rules.Count) throw new SigmaException("The correlation lists a rule twice.", "correlation");
        if (type is CorrelationType.Temporal or CorrelationType.TemporalOrdered && rules.Count < 2)
            throw new SigmaException($"A {typeText} correlation needs at least two rules.", "correlation");
        var timespanText = RuleLoader.Text(map, "timespan") ?? RuleLoader.Text(map, "timeframe")
            ?? throw new SigmaException("The correlation has no 'timespan'.", "timespan");
        var timespan = CorrelationSpec.ParseTimespan(timespanText);

        string? field = null;
        var terms = new List<(string, long)>();
        if (RuleLoader.Node(map, "condition") is { } condNode)
        {
            if (condNode is not YamlMappingNode cond) throw new SigmaException("The correlation condition must be a map such as 'gte: 10'.", "condition");
            foreach (var (k, v) in cond.Children)
            {
                var op = (k as YamlScalarNode)?.Value ?? "";
                var text = (v as YamlScalarNode)?.Value;
                if (op == "field") { field = text; continue; }
                if (!Ops.Contains(op)) throw new SigmaException($"Unknown correlation condition '{op}' (gt, gte, lt, lte, eq, neq, field).", "condition");
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                    throw new SigmaException($"Correlation condition '{op}' needs a whole number, not '{text}'.", "condition");
                terms.Add((op, n));
            }
        }
        if (type is CorrelationType.EventCount or CorrelationType.ValueCount && terms.Count == 0)
            throw new SigmaException($"A {typeText} correlation needs a condition (gt, gte, lt, lte, eq or neq).", "condition");
        if (type == CorrelationType.ValueCount && string.IsNullOrEmpty(field))
            throw new SigmaException("A value_count correlation needs 'field' in its condition.", "condition");
        if (type != CorrelationType.ValueCount && field is not null)
            throw new SigmaException("'field' in the condition belongs to value_count correlations.", "condition");
        if (type == CorrelationType.TemporalOrdered && terms.Count > 0)
            throw new SigmaException("A temporal_ordered correlation with a condition other than all rules in order is not supported.", "temporal_ordered condition");

        var aliases = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (RuleLoader.Node(map, "aliases") is { } aliasNode)
        {
            if (aliasNode is not YamlMappingNode aliasMap) throw new SigmaException("'aliases' must map alias names to rule-name/field maps.", "aliases");
            foreach (var (k, v) in aliasMap.Children)
            {
                var alias = (k as YamlScalarNode)?.Value ?? "";
                if (v is not YamlMappingNode perRule) throw new SigmaException($"Alias '{alias}' must map rule names to fields.", "aliases");
                aliases[alias] = perRule.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => (p.Value as YamlScalarNode)?.Value
                    ?? throw new SigmaException($"Alias '{alias}': the field must be a name.", "aliases"), StringComparer.Ordinal);
            }
        }
        var generateNode = RuleLoader.Node(map, "generate") ?? topLevelGenerate;
        var generate = generateNode is YamlScalarNode g && YamlValues.Scalar(g) is true;
        return new CorrelationSpec
        {
            Type = type,
            Rules = rules,
            GroupBy = RuleLoader.List(map, "group-by"),
            Timespan = timespan,
            TimespanText = timespanText,
            Condition = new CountCondition(terms),
            ValueField = field,
            Aliases = aliases,
            Generate = generate,
        };
    }
}
