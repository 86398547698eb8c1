using System.Collections.Concurrent;
using System.Text.Json;
using CloudIdentity.Engine.Detection.Correlation;
using CloudIdentity.Engine.Detection.Sigma;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Detection;

/// <summary>
/// Runs compiled rules over a stream of events. Single-event rules are grouped by the log sources they cover and
/// indexed by a field they test for equality (e.g. <c>eventName</c>), so an event is only tested against rules that
/// can match it. Correlation rules run as <see cref="IStatefulDetector"/>s fed with the single-event matches;
/// call <see cref="Flush"/> at the end of the stream. One engine instance is for one stream, on one thread.
/// </summary>
public sealed class DetectionEngine
{
    private readonly IReadOnlyList<DetectionRule> _rules;
    private readonly DetectionRule[] _singleEvent;
    private readonly HashSet<DetectionRule> _reported = new(ReferenceEqualityComparer.Instance);
    private readonly IStatefulDetector[] _detectors;
    private readonly Dictionary<DetectionRule, IStatefulDetector[]> _chained = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, RuleGroup> _groups = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="rules">Rules to run. Rules a correlation refers to are added even when not listed; they report
    /// their own findings only when no correlation refers to them or a referring correlation says <c>generate: true</c>.</param>
    public DetectionEngine(IEnumerable<DetectionRule> rules, CorrelationOptions? options = null)
    {
        _rules = rules.ToArray();
        var all = new List<DetectionRule>();
        var seen = new HashSet<DetectionRule>(ReferenceEqualityComparer.Instance);
        void Add(DetectionRule r)
        {
            if (!seen.Add(r)) return;
            all.Add(r);
            foreach (var referenced in r.Correlation?.Referenced ?? []) Add(referenced);
        }
        foreach (var r in _rules) Add(r);
        var referencedBy = all.Where(r => r.Correlation is not null)
            .SelectMany(c => c.Correlation!.Referenced.Select(r => (Rule: r, Correlation: c))).ToLookup(x => x.Rule, x => x.Correlation, ReferenceEqualityComparer.Instance);
        foreach (var r in all)
        {
            var referrers = referencedBy[r].ToArray();
            bool listed = _rules.Contains(r, ReferenceEqualityComparer.Instance);
            if (referrers.Length == 0 ? listed : referrers.Any(c => c.Correlation!.Generate)) _reported.Add(r);
        }
        _singleEvent = all.Where(r => r.Correlation is null).ToArray();
        // Correlations in dependency order, so a chained correlation sees the findings of the ones it refers to.
        var ordered = new List<DetectionRule>();
        var placed = new HashSet<DetectionRule>(ReferenceEqualityComparer.Instance);
        void Place(DetectionRule c)
        {
            if (placed.Contains(c)) return;
            foreach (var r in c.Correlation!.Referenced.Where(x => x.Correlation is not null)) Place(r);
            if (placed.Add(c)) ordered.Add(c);
        }
        foreach (var c in all.Where(r => r.Correlation is not null)) Place(c);
        _detectors = ordered.Select(c => (IStatefulDetector)new CorrelationDetector(c, options)).ToArray();
        foreach (var d in _detectors)
            foreach (var r in d.Rule.Correlation!.Referenced.Where(x => x.Correlation is not null))
                _chained[r] = [.. _chained.GetValueOrDefault(r, []), d];
    }

    /// <summary>The rules given to the engine.</summary>
    public IReadOnlyList<DetectionRule> Rules => _rules;

    /// <summary>The stateful detectors (one per correlation rule), in evaluation order.</summary>
    public IReadOnlyList<IStatefulDetector> StatefulDetectors => _detectors;

    /// <summary>Findings for one event: single-event matches and any correlation it completes.</summary>
    public IReadOnlyList<Finding> Evaluate(CloudIdEvent e)
    {
        var group = _groups.GetOrAdd(e.LogSource, source => new RuleGroup(_singleEvent.Where(r => r.LogSource.Covers(source))));
        var matched = group.Match(e);
        if (matched.Count == 0 && _detectors.Length == 0) return [];
        List<Finding>? findings = null;
        foreach (var rule in matched)
            if (_reported.Contains(rule)) (findings ??= []).Add(new Finding(rule, e));
        if (_detectors.Length > 0 && matched.Count > 0)
        {
            var output = new List<Finding>();
            foreach (var d in _detectors) d.Observe(e, matched, output);
            Chain(output);
            if (output.Count > 0) (findings ??= []).AddRange(output.Where(f => _reported.Contains(f.Rule)));
        }
        else if (_detectors.Length > 0)
        {
            // Advance time and expiry even for events no rule matched.
            foreach (var d in _detectors) d.Observe(e, [], []);
        }
        return (IReadOnlyList<Finding>?)findings ?? [];
    }

    /// <summary>Runs a whole stream: every event in order, then <see cref="Flush"/>.</summary>
    public IReadOnlyList<Finding> EvaluateAll(IEnumerable<CloudIdEvent> events)
    {
        var findings = new List<Finding>();
        foreach (var e in events) findings.AddRange(Evaluate(e));
        findings.AddRange(Flush());
        return findings;
    }

    /// <summary>End of stream: findings from windows still open (e.g. <c>lt</c> conditions); clears all state.</summary>
    public IReadOnlyList<Finding> Flush()
    {
        var output = new List<Finding>();
        foreach (var d in _detectors)
        {
            int before = output.Count;
            d.Flush(output);
            Chain(output, before);
        }
        return output.Where(f => _reported.Contains(f.Rule)).ToArray();
    }

    /// <summary>Feeds correlation findings to the correlations that refer to them (chaining).</summary>
    private void Chain(List<Finding> output, int from = 0)
    {
        for (int i = from; i < output.Count; i++)
        {
            var f = output[i];
            if (!_chained.TryGetValue(f.Rule, out var next)) continue;
            foreach (var d in next) d.Observe(f.Event, [f.Rule], output);
        }
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
            var candidates = rules.Select(r => (Rule: r, Options: r.Condition.RequiredEqualities())).ToList();
            // How many rules could be filed under each field=value; a rule goes under its most selective field
            // (eventName rather than eventSource): the one whose values are shared by the fewest rules.
            var load = new Dictionary<(string, string), int>();
            foreach (var (_, options) in candidates)
                foreach (var eq in options)
                    foreach (var v in eq.Values.Distinct(StringComparer.OrdinalIgnoreCase))
                        load[(eq.Field, v.ToLowerInvariant())] = load.GetValueOrDefault((eq.Field, v.ToLowerInvariant())) + 1;
            foreach (var (rule, options) in candidates)
            {
                var eq = options.Where(o => o.Values.Count <= 64)
                    .OrderBy(o => o.Values.Distinct(StringComparer.OrdinalIgnoreCase).Sum(v => load[(o.Field, v.ToLowerInvariant())]))
                    .FirstOrDefault();
                if (eq is null) { always.Add(rule); continue; }
                if (!byField.TryGetValue(eq.Field, out var map))
                    byField[eq.Field] = map = new Dictionary<string, List<DetectionRule>>(StringComparer.OrdinalIgnoreCase);
                foreach (var v in eq.Values.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (!map.TryGetValue(v, out var list)) map[v] = list = [];
                    list.Add(rule);
                }
            }
            _indexed = byField.Select(kv => (kv.Key, kv.Value.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.OrdinalIgnoreCase))).ToArray();
            _always = always.ToArray();
        }

        public IReadOnlyList<DetectionRule> Match(CloudIdEvent e)
        {
            List<DetectionRule>? matched = null;
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
                                if ((seen ??= []).Add(rule) && rule.Matches(record)) (matched ??= []).Add(rule);
                    }
                }
                else if (FieldValues.Text(v) is { } text && byValue.TryGetValue(text, out var candidates))
                {
                    foreach (var rule in candidates)
                        if (rule.Matches(record)) (matched ??= []).Add(rule);
                }
            }
            foreach (var rule in _always)
                if (rule.Matches(record)) (matched ??= []).Add(rule);
            return (IReadOnlyList<DetectionRule>?)matched ?? [];
        }
    }
}
