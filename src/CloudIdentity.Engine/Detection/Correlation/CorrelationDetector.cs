using System.Text.Json;
using CloudIdentity.Engine.Detection.Sigma;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Detection.Correlation;

/// <summary>
/// Runs one Sigma correlation rule over a stream in one pass. State is kept per group-by key and holds only what
/// can still contribute to a finding: entries older than the newest event time seen minus the timespan minus the
/// allowed lateness are dropped, and a group is removed once empty. A group that fires is reset, so a burst gives
/// one finding per window rather than one per event.
/// </summary>
public sealed class CorrelationDetector : IStatefulDetector
{
    private readonly CorrelationSpec _spec;
    private readonly Dictionary<DetectionRule, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly TimeSpan _lateness;
    private readonly int _evidenceCap;
    private DateTimeOffset _watermark = DateTimeOffset.MinValue;
    private long _observed;

    /// <param name="rule">A correlation rule whose references are linked.</param>
    /// <param name="options">Lateness tolerance and evidence cap.</param>
    public CorrelationDetector(DetectionRule rule, CorrelationOptions? options = null)
    {
        Rule = rule;
        _spec = rule.Correlation ?? throw new ArgumentException("Not a correlation rule.", nameof(rule));
        for (int i = 0; i < _spec.Referenced.Count; i++) _index.TryAdd(_spec.Referenced[i], i);
        options ??= CorrelationOptions.Default;
        _lateness = options.AllowedLateness;
        _evidenceCap = Math.Max(1, options.MaxEvidenceEvents);
    }

    public DetectionRule Rule { get; }

    public int ActiveGroups => _groups.Count;

    public void Observe(CloudIdEvent e, IReadOnlyList<DetectionRule> matched, ICollection<Finding> output)
    {
        var time = e.Time ?? (_watermark == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : _watermark);
        if (time > _watermark) _watermark = time;
        foreach (var rule in matched)
        {
            if (!_index.TryGetValue(rule, out var ruleIndex)) continue;
            var key = GroupKey(e, rule);
            if (!_groups.TryGetValue(key, out var state)) _groups[key] = state = new GroupState(time);
            var hit = new Hit(time, e, ruleIndex);
            var fired = _spec.Type switch
            {
                CorrelationType.EventCount => AddCount(state, hit),
                CorrelationType.ValueCount => AddValue(state, hit, rule),
                _ => AddTemporal(state, hit),
            };
            if (fired is not null)
            {
                output.Add(fired);
                _groups.Remove(key);
            }
        }
        // Expire old state now and then (amortized: every 256 events).
        if ((++_observed & 255) == 0) Expire(output, final: false);
    }

    public void Flush(ICollection<Finding> output)
    {
        Expire(output, final: true);
        _groups.Clear();
    }

    private DateTimeOffset Horizon => _watermark == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : _watermark - _spec.Timespan - _lateness;

    private void Expire(ICollection<Finding> output, bool final)
    {
        var horizon = Horizon;
        List<string>? empty = null;
        foreach (var (key, state) in _groups)
        {
            if (!_spec.Condition.IsMonotonic && _spec.Type is CorrelationType.EventCount or CorrelationType.ValueCount)
            {
                // Windows decided at their end: [start, start + timespan], closed once the stream is past it.
                if (final || state.WindowStart + _spec.Timespan + _lateness < _watermark)
                {
                    var count = _spec.Type == CorrelationType.EventCount ? state.Count : state.Values.Count;
                    if (_spec.Condition.Holds(count)) output.Add(Finding(state.Evidence()));
                    (empty ??= []).Add(key);
                }
                continue;
            }
            state.DropBefore(horizon);
            if (state.IsEmpty) (empty ??= []).Add(key);
        }
        if (empty is not null) foreach (var k in empty) _groups.Remove(k);
    }

    // event_count ------------------------------------------------------------------------------------------------

    private Finding? AddCount(GroupState state, Hit hit)
    {
        if (!_spec.Condition.IsMonotonic)
        {
            if (hit.Time < state.WindowStart) state.WindowStart = hit.Time;
            state.Count++;
            state.AddCapped(hit, _evidenceCap);
            return null;
        }
        state.Insert(hit);
        // The largest set of hits inside any window of length timespan (hits are sorted by time).
        var hits = state.Hits;
        int best = 0, bestStart = 0;
        for (int lo = 0, hi = 0; hi < hits.Count; hi++)
        {
            while (hits[hi].Time - hits[lo].Time > _spec.Timespan) lo++;
            if (hi - lo + 1 > best) { best = hi - lo + 1; bestStart = lo; }
        }
        if (!_spec.Condition.Holds(best)) return null;
        return Finding(hits.Skip(bestStart).Take(best).ToList());
    }

    // value_count ------------------------------------------------------------------------------------------------

    private Finding? AddValue(GroupState state, Hit hit, DetectionRule rule)
    {
        var field = _spec.FieldFor(_spec.ValueField!, rule);
        var value = ReadField(hit.Event, field);
        if (value is null) return null; // events without the field add no value
        if (!_spec.Condition.IsMonotonic)
        {
            if (hit.Time < state.WindowStart) state.WindowStart = hit.Time;
            if (!state.Values.ContainsKey(value) && state.Values.Count < 100_000) state.Values[value] = hit;
            return null;
        }
        if (!state.Values.TryGetValue(value, out var prev) || prev.Time <= hit.Time) state.Values[value] = hit;
        // Distinct values seen within the timespan before the newest hit of this group.
        var newest = state.Values.Values.Max(h => h.Time);
        var inWindow = state.Values.Values.Where(h => newest - h.Time <= _spec.Timespan).OrderBy(h => h.Time).ToList();
        return _spec.Condition.Holds(inWindow.Count) ? Finding(inWindow) : null;
    }

    // temporal / temporal_ordered ------------------------------------------------------------------------------------

    private Finding? AddTemporal(GroupState state, Hit hit)
    {
        state.Insert(hit);
        state.CapPerRule(hit.RuleIndex, 16);
        var k = _spec.Referenced.Count;
        if (_spec.Type == CorrelationType.Temporal)
        {
            var hits = state.Hits;
            var counts = new int[k];
            int distinct = 0;
            for (int lo = 0, hi = 0; hi < hits.Count; hi++)
            {
                if (counts[hits[hi].RuleIndex]++ == 0) distinct++;
                while (hits[hi].Time - hits[lo].Time > _spec.Timespan)
                    if (--counts[hits[lo++].RuleIndex] == 0) distinct--;
                if (_spec.Condition.IsEmpty ? distinct >= k : _spec.Condition.Holds(distinct))
                {
                    // One event per rule: the latest of each inside the window.
                    var window = hits.Skip(lo).Take(hi - lo + 1).GroupBy(h => h.RuleIndex).Select(g => g.Last()).OrderBy(h => h.Time).ToList();
                    return Finding(window);
                }
            }
            return null;
        }
        var chain = FindOrderedChain(state.Hits, k);
        return chain is null ? null : Finding(chain);
    }

    /// <summary>Hits of rule 0, then rule 1, ... in time order, within the timespan (depth-first over candidates).</summary>
    private List<Hit>? FindOrderedChain(List<Hit> hits, int k)
    {
        var chain = new List<Hit>(k);
        bool Extend(int from)
        {
            if (chain.Count == k) return NewValueHolds(chain);
            var want = chain.Count;
            for (int i = from; i < hits.Count; i++)
            {
                var h = hits[i];
                if (h.RuleIndex != want) continue;
                if (chain.Count > 0 && (h.Time - chain[0].Time > _spec.Timespan)) break;
                if (chain.Count > 0 && ReferenceEquals(h.Event, chain[^1].Event)) continue;
                chain.Add(h);
                if (Extend(i + 1)) return true;
                chain.RemoveAt(chain.Count - 1);
            }
            return false;
        }
        // Ties in time: hits are sorted stably by (time, arrival), so an earlier-arriving event may come first.
        return Extend(0) ? chain : null;
    }

    /// <summary>CloudIdentity extension <c>x-new-value</c>: the completing event's value must not occur earlier in the chain.</summary>
    private bool NewValueHolds(List<Hit> chain)
    {
        if (Rule.NewValueField is not { } field) return true;
        var last = ReadField(chain[^1].Event, field);
        if (last is null) return false;
        for (int i = 0; i < chain.Count - 1; i++)
            if (string.Equals(ReadField(chain[i].Event, field), last, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    // helpers ----------------------------------------------------------------------------------------------------

    private string GroupKey(CloudIdEvent e, DetectionRule rule)
    {
        if (_spec.GroupBy.Count == 0) return "";
        var parts = new string[_spec.GroupBy.Count];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = ReadField(e, _spec.FieldFor(_spec.GroupBy[i], rule))?.ToLowerInvariant() ?? "\u2400";
        return string.Join('\u001f', parts);
    }

    /// <summary>A field of the raw record (dotted path), else the normalized event property of that name.</summary>
    internal static string? ReadField(CloudIdEvent e, string field)
    {
        if (FieldValues.TryGet(e.Raw.Element, field, out var v) && v.ValueKind != JsonValueKind.Null) return FieldValues.Text(v);
        return NormalizedField(e, field);
    }

    private static string? NormalizedField(CloudIdEvent e, string field) => field switch
    {
        "Actor" => e.ActorArn ?? e.ActorUserName,
        "ActorArn" => e.ActorArn,
        "ActorUserName" => e.ActorUserName,
        "ActorPrincipalId" => e.ActorPrincipalId,
        "AccessKeyId" => e.AccessKeyId,
        "AccountId" => e.AccountId,
        "Region" => e.Region,
        "SourceIp" => e.SourceIp,
        "UserAgent" => e.UserAgent,
        "Service" => e.Service,
        "Operation" => e.Operation,
        "ErrorCode" => e.ErrorCode,
        _ => null,
    };

    private Finding Finding(IReadOnlyList<Hit> hits)
    {
        var events = hits.Select(h => h.Event).Distinct().ToList();
        var last = hits.OrderBy(h => h.Time).Last().Event;
        if (events.Count > _evidenceCap) events = events.Take(_evidenceCap - 1).Append(last).Distinct().ToList();
        return new Finding(Rule, last, events);
    }

    private readonly record struct Hit(DateTimeOffset Time, CloudIdEvent Event, int RuleIndex);

    private sealed class GroupState(DateTimeOffset start)
    {
        public List<Hit> Hits { get; } = [];
        public Dictionary<string, Hit> Values { get; } = new(StringComparer.OrdinalIgnoreCase);
        public DateTimeOffset WindowStart { get; set; } = start;
        public long Count { get; set; }

        public bool IsEmpty => Hits.Count == 0 && Values.Count == 0;

        public void Insert(Hit hit)
        {
            int i = Hits.Count;
            while (i > 0 && Hits[i - 1].Time > hit.Time) i--; // stable: after equal times
            Hits.Insert(i, hit);
        }

        public void AddCapped(Hit hit, int cap)
        {
            if (Hits.Count < cap) Insert(hit);
            else Hits[^1] = hit; // keep the first cap-1 and the latest
        }

        public void CapPerRule(int ruleIndex, int cap)
        {
            int n = Hits.Count(h => h.RuleIndex == ruleIndex);
            if (n > cap) Hits.RemoveAt(Hits.FindIndex(h => h.RuleIndex == ruleIndex));
        }

        public void DropBefore(DateTimeOffset horizon)
        {
            Hits.RemoveAll(h => h.Time < horizon);
            if (Values.Count > 0)
                foreach (var k in Values.Where(kv => kv.Value.Time < horizon).Select(kv => kv.Key).ToList()) Values.Remove(k);
        }

        public List<Hit> Evidence() => Hits.Count > 0 ? Hits : Values.Values.OrderBy(h => h.Time).ToList();
    }
}

/// <summary>Tuning for correlation state.</summary>
public sealed record CorrelationOptions
{
    public static readonly CorrelationOptions Default = new();

    /// <summary>
    /// How far behind the newest event time an event may arrive and still be correlated with state that would
    /// otherwise have expired (default 15 minutes: CloudTrail delivers files about every 5 minutes, and files read
    /// in parallel interleave).
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many contributing events are kept on a finding (the first ones and the last).</summary>
    public int MaxEvidenceEvents { get; init; } = 100;
}
