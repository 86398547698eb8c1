using System.Text.Json;
using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Detection.Correlation;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Tests.Detection;

/// <summary>Sigma correlation rules: each type, conditions, group-by, aliases, generate, chaining, time and state.</summary>
public class CorrelationTests
{
    private const string Base = """
        title: failed login
        id: 5638f7c0-ac70-491d-8465-2a65075e0d86
        name: failed_login
        logsource: {product: test, service: auth}
        detection:
          sel: {action: login, result: failure}
          condition: sel
        ---
        title: successful login
        id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
        name: successful_login
        logsource: {product: test, service: auth}
        detection:
          sel: {action: login, result: success}
          condition: sel
        ---
        title: password change
        id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
        name: password_change
        logsource: {product: test, service: auth}
        detection:
          sel: {action: passwd}
          condition: sel
        """;

    private static RuleLoader.Result Load(string correlation) =>
        new RuleLoader().LoadText("title: correlation\nid: b180ead8-d58f-40b2-ae54-c8940995b9b6\nlevel: high\n" + correlation.Trim('\n') + "\n---\n" + Base, "inline", builtIn: false);

    private static DetectionEngine Engine(string correlation, CorrelationOptions? options = null)
    {
        var r = Load(correlation);
        Assert.True(r.Problems.Count == 0, string.Join("; ", r.Problems));
        return new DetectionEngine(r.Rules.Where(x => x.Kind == RuleKind.Correlation), options);
    }

    private static int _index;

    /// <summary>An event at minute:second past 10:00 on 2024-05-01.</summary>
    private static CloudIdEvent E(string mmss, string json)
    {
        var parts = mmss.Split(':');
        var time = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddMinutes(int.Parse(parts[0])).AddSeconds(int.Parse(parts[1]));
        return new CloudIdEvent(new JsonRecord(JsonDocument.Parse(json).RootElement.Clone())) { Time = time, LogSource = "test/auth", RecordIndex = _index++ };
    }

    private static CloudIdEvent Fail(string t, string user = "alice", string ip = "10.0.0.1") => E(t, $$"""{"action":"login","result":"failure","user":"{{user}}","ip":"{{ip}}"}""");
    private static CloudIdEvent Ok(string t, string user = "alice", string ip = "10.0.0.1") => E(t, $$"""{"action":"login","result":"success","user":"{{user}}","ip":"{{ip}}"}""");
    private static CloudIdEvent Passwd(string t, string target = "alice") => E(t, $$"""{"action":"passwd","target":"{{target}}"}""");

    private static List<Finding> Run(DetectionEngine engine, params CloudIdEvent[] events)
    {
        var findings = new List<Finding>();
        foreach (var e in events) findings.AddRange(engine.Evaluate(e));
        findings.AddRange(engine.Flush());
        return findings;
    }

    private const string EventCount3In5m = """
        correlation:
          type: event_count
          rules: [failed_login]
          group-by: [user]
          timespan: 5m
          condition: {gte: 3}
        """;

    [Fact]
    public void EventCountFiresWhenTheThresholdIsReachedInsideTheTimespan()
    {
        var f = Assert.Single(Run(Engine(EventCount3In5m), Fail("00:00"), Fail("01:00"), Fail("04:59")));
        Assert.Equal("correlation", f.RuleTitle);
        Assert.Equal(3, f.Events.Count);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 4, 59, TimeSpan.Zero), f.Time);
    }

    [Fact]
    public void EventCountDoesNotFireWhenTheEventsAreSpreadWiderThanTheTimespan()
    {
        Assert.Empty(Run(Engine(EventCount3In5m), Fail("00:00"), Fail("03:00"), Fail("06:00"), Fail("09:00")));
    }

    [Fact]
    public void EventCountCountsEachGroupSeparately()
    {
        Assert.Empty(Run(Engine(EventCount3In5m), Fail("00:00", "alice"), Fail("00:10", "bob"), Fail("00:20", "alice"), Fail("00:30", "bob")));
    }

    [Fact]
    public void EventCountResetsAfterFiringSoABurstGivesOneFindingPerWindow()
    {
        var events = Enumerable.Range(0, 7).Select(i => Fail($"00:{i * 5:00}")).ToArray();
        // 7 failures: fires at the 3rd and again at the 6th; the 7th starts a new count.
        Assert.Equal(2, Run(Engine(EventCount3In5m), events).Count);
    }

    [Fact]
    public void EventCountUsesEventTimeForOutOfOrderInput()
    {
        // Arrival order 04:00, 00:30, 02:00: all within 5 minutes by event time.
        var f = Assert.Single(Run(Engine(EventCount3In5m), Fail("04:00"), Fail("00:30"), Fail("02:00")));
        Assert.Equal(new[] { 30, 120, 240 }, f.Events.Select(e => (int)(e.Time!.Value - new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero)).TotalSeconds).ToArray());
    }

    [Fact]
    public void EventsOlderThanTheLatenessAllowanceNoLongerCorrelate()
    {
        var engine = Engine(EventCount3In5m, new CorrelationOptions { AllowedLateness = TimeSpan.Zero });
        var events = new List<CloudIdEvent> { Fail("00:00"), Fail("00:10") };
        // 300 unrelated matches of another user move time forward past the window and trigger expiry.
        for (int i = 0; i < 300; i++) events.Add(Fail($"{20 + i / 60}:{i % 60:00}", "bob" + i));
        events.Add(Fail("00:20")); // arrives 20 minutes late
        Assert.Empty(Run(engine, events.ToArray()));
    }

    [Theory]
    [InlineData("lt: 3", 2, 1)]
    [InlineData("lt: 3", 3, 0)]
    [InlineData("eq: 2", 2, 1)]
    [InlineData("neq: 2", 2, 0)]
    [InlineData("lte: 1", 1, 1)]
    [InlineData("gt: 2", 3, 1)]
    [InlineData("gt: 2", 2, 0)]
    public void EventCountConditions(string condition, int failures, int expected)
    {
        var engine = Engine($"correlation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [user]\n  timespan: 5m\n  condition: {{{condition}}}\n");
        Assert.Equal(expected, Run(engine, Enumerable.Range(0, failures).Select(i => Fail($"00:{i:00}")).ToArray()).Count);
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(101, 1)]
    [InlineData(150, 1)]
    public void ARangeConditionIsAnAndOfItsTerms(int failures, int expected)
    {
        var engine = Engine("correlation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [user]\n  timespan: 1h\n  condition: {gt: 100, lte: 200}\n");
        Assert.Equal(expected, Run(engine, Enumerable.Range(0, failures).Select(i => Fail($"{i / 60:00}:{i % 60:00}")).ToArray()).Count);
    }

    [Fact]
    public void ValueCountCountsDistinctValuesOfTheField()
    {
        var engine = Engine("correlation:\n  type: value_count\n  rules: [failed_login]\n  group-by: [ip]\n  timespan: 10m\n  condition: {field: user, gte: 3}\n");
        // Same IP tries alice twice, then bob, then carol: 3 distinct users at the 4th event.
        var f = Assert.Single(Run(engine, Fail("00:00", "alice"), Fail("00:30", "alice"), Fail("01:00", "bob"), Fail("01:30", "carol")));
        Assert.Equal(3, f.Events.Count);
        Assert.Equal("01:30", f.Time!.Value.ToString("mm:ss"));
    }

    [Fact]
    public void ValueCountIgnoresEventsWithoutTheField()
    {
        var engine = Engine("correlation:\n  type: value_count\n  rules: [failed_login]\n  group-by: [ip]\n  timespan: 10m\n  condition: {field: device, gte: 2}\n");
        Assert.Empty(Run(engine, Fail("00:00", "alice"), Fail("00:30", "bob")));
    }

    [Fact]
    public void TemporalMatchesAllRulesInAnyOrderWithinTheTimespan()
    {
        var engine = Engine("correlation:\n  type: temporal\n  rules: [successful_login, failed_login]\n  group-by: [user]\n  timespan: 5m\n");
        Assert.Single(Run(engine, Fail("00:00"), Ok("01:00")));
        Assert.Single(Run(engine, Ok("10:00"), Fail("11:00")));
        Assert.Empty(Run(engine, Ok("20:00"), Fail("26:00")));
        Assert.Empty(Run(engine, Ok("30:00", "alice"), Fail("31:00", "bob")));
    }

    [Fact]
    public void TemporalOrderedRequiresTheOrderOfTheRulesList()
    {
        var engine = Engine("correlation:\n  type: temporal_ordered\n  rules: [failed_login, successful_login]\n  group-by: [user]\n  timespan: 5m\n");
        var f = Assert.Single(Run(engine, Fail("00:00"), Ok("01:00")));
        Assert.Equal(["failure", "success"], f.Events.Select(e => e.Raw.GetString("result") ?? "").ToArray());
        Assert.Empty(Run(engine, Ok("10:00"), Fail("11:00")));
    }

    [Fact]
    public void AliasesMapOneGroupByNameToDifferentFieldsPerRule()
    {
        var engine = Engine("""
            correlation:
              type: temporal_ordered
              rules: [password_change, successful_login]
              group-by: [account]
              timespan: 1h
              aliases:
                account:
                  password_change: target
                  successful_login: user
            """);
        Assert.Single(Run(engine, Passwd("00:00", "alice"), Ok("10:00", "alice")));
        Assert.Empty(Run(engine, Passwd("20:00", "alice"), Ok("30:00", "bob")));
    }

    [Fact]
    public void ReferencedRulesReportFindingsOnlyWithGenerate()
    {
        var quiet = Engine(EventCount3In5m);
        Assert.All(Run(quiet, Fail("00:00"), Fail("00:10"), Fail("00:20")), f => Assert.Equal(RuleKind.Correlation, f.Rule.Kind));
        var loud = Engine(EventCount3In5m + "\n  generate: true\n");
        var findings = Run(loud, Fail("00:00"), Fail("00:10"), Fail("00:20"));
        Assert.Equal(3, findings.Count(f => f.RuleTitle == "failed login"));
        Assert.Equal(1, findings.Count(f => f.Rule.Kind == RuleKind.Correlation));
    }

    [Fact]
    public void RulesAreReferencedByIdOrByName()
    {
        var engine = Engine("correlation:\n  type: temporal\n  rules: [5638f7c0-ac70-491d-8465-2a65075e0d86, successful_login]\n  group-by: [user]\n  timespan: 5m\n");
        Assert.Single(Run(engine, Fail("00:00"), Ok("00:30")));
    }

    [Fact]
    public void ReferencesResolveAgainstRulesLoadedAlongside()
    {
        var baseRules = new RuleLoader().LoadText(Base, "base.yml", builtIn: false);
        var corr = new RuleLoader().LoadText("title: c\nid: 1\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [user]\n  timespan: 5m\n  condition: {gte: 2}\n",
            "corr.yml", builtIn: false, alongside: baseRules.Rules);
        Assert.Empty(corr.Problems);
        Assert.Same(baseRules.Rules[0], Assert.Single(corr.Rules).Correlation!.Referenced[0]);
    }

    [Fact]
    public void AnUnresolvedReferenceIsALoadProblemNamingTheRule()
    {
        var r = new RuleLoader().LoadText("title: c\ncorrelation:\n  type: event_count\n  rules: [no_such_rule]\n  timespan: 5m\n  condition: {gte: 2}\n", "c.yml", builtIn: false);
        Assert.Empty(r.Rules);
        var p = Assert.Single(r.Problems);
        Assert.Contains("no_such_rule", p.Message);
        Assert.Equal("c.yml", p.Origin);
    }

    [Fact]
    public void CorrelationsChain()
    {
        // Spec example: multiple failed logins (event_count) followed by a successful login (temporal_ordered).
        var r = new RuleLoader().LoadText("""
            title: brute force then success
            id: b180ead8-d58f-40b2-ae54-c8940995b9b6
            correlation:
              type: temporal_ordered
              rules: [multiple_failed_login, successful_login]
              group-by: [user]
              timespan: 10m
            ---
            title: multiple failed logins
            id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
            name: multiple_failed_login
            correlation:
              type: event_count
              rules: [failed_login]
              group-by: [user]
              timespan: 10m
              condition: {gte: 3}
            ---
            """ + "\n" + Base, "chain.yml", builtIn: false);
        Assert.Empty(r.Problems);
        var engine = new DetectionEngine(r.Rules.Where(x => x.Title == "brute force then success"));
        var findings = Run(engine, Fail("00:00"), Fail("00:10"), Fail("00:20"), Ok("01:00"));
        var f = Assert.Single(findings);
        Assert.Equal("brute force then success", f.RuleTitle);
        Assert.Empty(Run(engine, Fail("10:00"), Fail("10:10"), Ok("11:00")));
    }

    [Fact]
    public void StateIsBoundedByGroupsInsideTheTimespanNotByEvents()
    {
        var engine = Engine(EventCount3In5m);
        var detector = Assert.Single(engine.StatefulDetectors);
        // 20,000 failures over ~5.5 hours from 20,000 distinct users: no group reaches 3, state must expire.
        int maxGroups = 0;
        var start = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 20_000; i++)
        {
            var e = new CloudIdEvent(new JsonRecord(JsonDocument.Parse($$"""{"action":"login","result":"failure","user":"u{{i}}"}""").RootElement.Clone()))
            { Time = start.AddSeconds(i), LogSource = "test/auth" };
            engine.Evaluate(e);
            maxGroups = Math.Max(maxGroups, detector.ActiveGroups);
        }
        // Timespan 5 min + lateness 15 min = 1,200 s of groups, plus at most 256 events between expiry sweeps.
        Assert.InRange(maxGroups, 1_200, 1_200 + 256 + 1);
        Assert.Empty(engine.Flush());
        Assert.Equal(0, detector.ActiveGroups);
    }

    [Theory]
    [InlineData("correlation:\n  rules: [failed_login]\n  timespan: 5m\n  condition: {gte: 2}\n", "type")]
    [InlineData("correlation:\n  type: event_sum\n  rules: [failed_login]\n  timespan: 5m\n  condition: {gte: 2}\n", "event_sum")]
    [InlineData("correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 5 minutes\n  condition: {gte: 2}\n", "Timespan")]
    [InlineData("correlation:\n  type: event_count\n  rules: [failed_login]\n  condition: {gte: 2}\n", "timespan")]
    [InlineData("correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 5m\n", "condition")]
    [InlineData("correlation:\n  type: value_count\n  rules: [failed_login]\n  timespan: 5m\n  condition: {gte: 2}\n", "field")]
    [InlineData("correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 5m\n  condition: {above: 2}\n", "above")]
    [InlineData("correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 5m\n  condition: {gte: many}\n", "whole number")]
    [InlineData("correlation:\n  type: temporal\n  rules: [failed_login]\n  timespan: 5m\n", "two rules")]
    [InlineData("correlation:\n  type: event_count\n  rules: []\n  timespan: 5m\n  condition: {gte: 2}\n", "no rules")]
    [InlineData("correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 5m\n  condition: {gte: 2}\n  window: 1\n", "window")]
    public void InvalidCorrelationsAreLoadProblems(string correlation, string expectedText)
    {
        var r = Load(correlation);
        var p = Assert.Single(r.Problems);
        Assert.Contains(expectedText, p.Message);
        Assert.DoesNotContain(r.Rules, x => x.Kind == RuleKind.Correlation);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void TimespanUnits(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CorrelationSpec.ParseTimespan(text));
}
