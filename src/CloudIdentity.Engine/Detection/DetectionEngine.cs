using System.Collections.Concurrent;
using System.Text.Json;
using CloudIdentity.Engine.Detection.Sigma;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Detection;

/// <summary>
/// Runs compiled rules over events. Rules are grouped by the log sources they cover and indexed by a field they
/// test for equality (e.g. <c>eventName</c>), so an event is only tested against rules that can match it.
/// </summary>
public sealed class DetectionEngine
{
    private readonly IReadOnlyList<DetectionRule> _rules;
    private readonly ConcurrentDictionary<string, RuleGroup> _groups = new(StringComparer.OrdinalIgnoreCase);

    public DetectionEngine(IEnumerable<DetectionRule> rules) => _rules = rules.ToArray();

    public IReadOnlyList<DetectionRule> Rules => _rules;

    /// <summary>Findings for one event (an empty list for most events).</summary>
    public IReadOnlyList<Finding> Evaluate(CloudIdEvent e)
    {
        var group = _groups.GetOrAdd(e.LogSource, source => new RuleGroup(_rules.Where(r => r.LogSource.Covers(source))));
        return group.Evaluate(e);
    }

    /// <summary>Tests one raw record against one rule, ignoring log sources (used for rule sample tests).</summary>
    public static bool Matches(DetectionRule rule, JsonElement record) => rule.Matches(record);

    private sealed class RuleGroup
    {
        private readonly (string Field, Dictionary<string, DetectionRule[]> ByValue)[] _indexed;
        private readonly DetectionRule[] _always;

        public RuleGroup(IEnumerable<DetectionRule> rules)
        {
            var byField = new Dictionary<string, Dictionary<string, List<DetectionRule>>>(StringComparer.Ordinal);
            var always = new List<DetectionRule>();
            foreach (var rule in rules)
            {
                var eq = rule.Condition.RequiredEquality();
                if (eq is null) { always.Add(rule); continue; }
                if (!byField.TryGetValue(eq.Value.Field, out var map))
                    byField[eq.Value.Field] = map = new Dictionary<string, List<DetectionRule>>(StringComparer.OrdinalIgnoreCase);
                foreach (var v in eq.Value.Values.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (!map.TryGetValue(v, out var list)) map[v] = list = [];
                    list.Add(rule);
                }
            }
            _indexed = byField.Select(kv => (kv.Key, kv.Value.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.OrdinalIgnoreCase))).ToArray();
            _always = always.ToArray();
        }

        public IReadOnlyList<Finding> Evaluate(CloudIdEvent e)
        {
            List<Finding>? findings = null;
            var record = e.Raw.Element;
            foreach (var (field, byValue) in _indexed)
            {
                if (!FieldValues.TryGet(record, field, out var v)) continue;
                if (v.ValueKind == JsonValueKind.Array)
                {
                    HashSet<DetectionRule>? seen = null;
                    foreach (var item in v.EnumerateArray())
                    {
                        if (FieldValues.Text(item) is { } t && byValue.TryGetValue(t, out var rules))
                            foreach (var rule in rules)
                                if ((seen ??= []).Add(rule) && rule.Matches(record)) (findings ??= []).Add(new Finding(rule, e));
                    }
                }
                else if (FieldValues.Text(v) is { } text && byValue.TryGetValue(text, out var candidates))
                {
                    foreach (var rule in candidates)
                        if (rule.Matches(record)) (findings ??= []).Add(new Finding(rule, e));
                }
            }
            foreach (var rule in _always)
                if (rule.Matches(record)) (findings ??= []).Add(new Finding(rule, e));
            return (IReadOnlyList<Finding>?)findings ?? [];
        }
    }
}
