using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Detection.Testing;

/// <summary>
/// Validates rules and runs the samples they carry. A single-event sample (<c>match: true|false</c>) is tested with
/// the rule's compiled detection; a sequence sample (<c>events:</c> + <c>expect: N</c>) runs through a fresh
/// <see cref="DetectionEngine"/> (so correlations see the events in order, with their times) and must give exactly N
/// findings of the rule.
/// </summary>
public static class RuleTester
{
    /// <summary>Results for loaded rules (one each) and for documents that did not load (one each).</summary>
    public static IEnumerable<RuleTestResult> Test(IEnumerable<DetectionRule> rules, IEnumerable<RuleLoadProblem>? loadProblems = null)
    {
        foreach (var p in loadProblems ?? [])
        {
            yield return new RuleTestResult
            {
                RuleId = p.RuleId,
                Title = p.Title,
                File = p.Origin,
                Status = RuleTestStatus.Invalid,
                Problems = [new RuleProblem(RuleProblemSeverity.Error, p.Message, p.Feature)],
            };
        }
        foreach (var rule in rules) yield return Test(rule);
    }

    public static RuleTestResult Test(DetectionRule rule)
    {
        var problems = Validate(rule);
        var samples = rule.Tests.Select(t => RunSample(rule, t)).ToArray();
        var status = problems.Any(p => p.Severity == RuleProblemSeverity.Error) ? RuleTestStatus.Invalid
            : samples.Any(s => !s.Passed) ? RuleTestStatus.Failed
            : RuleTestStatus.Passed;
        return new RuleTestResult
        {
            RuleId = rule.Id,
            Title = rule.Title,
            File = rule.File,
            Kind = rule.Kind,
            LogSource = rule.LogSource.ToString(),
            Status = status,
            Problems = problems,
            Samples = samples,
            Rule = rule,
        };
    }

    /// <summary>Schema and content checks beyond what loading enforces.</summary>
    public static IReadOnlyList<RuleProblem> Validate(DetectionRule rule)
    {
        var problems = new List<RuleProblem>();
        void Warn(string message, string feature) => problems.Add(new RuleProblem(RuleProblemSeverity.Warning, message, feature));
        if (string.IsNullOrEmpty(rule.Id)) Warn("The rule has no id.", "id");
        else if (!Guid.TryParse(rule.Id, out _)) Warn($"The id '{rule.Id}' is not a UUID.", "id");
        foreach (var key in rule.UnknownTopLevelKeys) Warn($"Unknown top-level attribute '{key}'.", "schema");
        foreach (var name in rule.UnresolvedPlaceholders) Warn($"Placeholder '%{name}%' has no value and matches any value.", "expand");
        if (rule.Kind == RuleKind.Detection)
        {
            if (rule.LogSource.Product is null && rule.LogSource.Service is null)
                Warn("The logsource has neither product nor service, so no cloud events are in scope.", "logsource");
            else if (!LogSourceMap.IsKnown(rule.LogSource))
                Warn($"Log source '{rule.LogSource}' is not one the module reads ({string.Join(", ", LogSourceMap.KnownSources)}).", "logsource");
            foreach (var field in KnownFields.Unknown(rule))
                Warn($"Field '{field}' is not a {rule.LogSource} record field.", "field");
        }
        foreach (var test in rule.Tests)
        {
            if (rule.Kind == RuleKind.Correlation && !test.IsSequence)
                problems.Add(new RuleProblem(RuleProblemSeverity.Error, $"Sample '{test.Name}' is a single event; a correlation needs 'events:' and 'expect: N'.", "tests"));
        }
        return problems;
    }

    public static RuleSampleResult RunSample(DetectionRule rule, RuleTest test)
    {
        if (!test.IsSequence)
        {
            if (rule.Kind == RuleKind.Correlation) return new RuleSampleResult(test.Name, false, "a sequence sample", "a single event");
            var matched = rule.Matches(test.Event);
            return new RuleSampleResult(test.Name, matched == test.ExpectMatch, test.ExpectMatch ? "match" : "no match", matched ? "match" : "no match");
        }
        var engine = new DetectionEngine([rule]);
        int findings = 0;
        long index = 0;
        foreach (var json in test.Events)
        {
            var e = ToEvent(rule, json, index++);
            findings += engine.Evaluate(e).Count(f => ReferenceEquals(f.Rule, rule));
        }
        findings += engine.Flush().Count(f => ReferenceEquals(f.Rule, rule));
        var expected = test.ExpectFindings!.Value;
        return new RuleSampleResult(test.Name, findings == expected, Plural(expected), Plural(findings));
    }

    private static string Plural(int n) => n == 1 ? "1 finding" : $"{n} findings";

    /// <summary>A sample record as an event of the rule's log source, normalized like a record read from a file.</summary>
    public static CloudIdEvent ToEvent(DetectionRule rule, JsonElement json, long index)
    {
        var source = SourceOf(rule);
        var context = new RecordContext("sample", index, null, null);
        var normalizer = NormalizerCatalog.Normalizers.FirstOrDefault(n => source is not null && source.Covers(n.LogSource))
            ?? NormalizerCatalog.Detect(json, context);
        if (normalizer is not null) return normalizer.Normalize(json, context);
        DateTimeOffset? time = null;
        foreach (var f in (string[])["time", "eventTime", "createdDateTime", "activityDateTime", "TimeGenerated", "CreationTime", "timestamp"])
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty(f, out var t) && Timestamps.Parse(t) is { } parsed) { time = parsed; break; }
        return new CloudIdEvent(new JsonRecord(json))
        {
            Time = time,
            LogSource = source is { Product: not null } ? $"{source.Product}/{source.Service}".TrimEnd('/') : "",
            Origin = "sample",
            RecordIndex = index,
        };
    }

    private static LogSourceSpec? SourceOf(DetectionRule rule)
    {
        if (rule.Correlation is null) return rule.LogSource;
        foreach (var r in rule.Correlation.Referenced)
            if (SourceOf(r) is { Product: not null } s) return s;
        return null;
    }
}
