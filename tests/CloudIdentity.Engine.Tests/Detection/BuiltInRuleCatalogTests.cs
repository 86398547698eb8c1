using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Detection.Correlation;
using CloudIdentity.Engine.Detection.Testing;

namespace CloudIdentity.Engine.Tests.Detection;

/// <summary>Keeps the built-in rule pack honest: every rule loads, has metadata, and passes its own samples.</summary>
public class BuiltInRuleCatalogTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var r in BuiltInRules.Rules) data.Add(r.Id);
        return data;
    }

    [Fact]
    public void EveryBuiltInRuleLoads()
    {
        // The whole problem text in the message: xunit truncates the items of a collection assertion.
        Assert.True(BuiltInRules.Problems.Count == 0, string.Join(Environment.NewLine, BuiltInRules.Problems));
        Assert.NotEmpty(BuiltInRules.Rules);
    }

    [Fact]
    public void RuleIdsAreUniqueGuids()
    {
        var ids = BuiltInRules.Rules.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), $"'{id}' is not a GUID"));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RuleHasMetadata(string id)
    {
        var rule = BuiltInRules.Rules.Single(r => r.Id == id);
        Assert.False(string.IsNullOrWhiteSpace(rule.Title));
        Assert.False(string.IsNullOrWhiteSpace(rule.Description), $"{rule.Title}: description");
        Assert.NotEmpty(rule.Techniques);
        Assert.NotEmpty(rule.FalsePositives);
        if (rule.Kind == RuleKind.Detection) Assert.NotNull(rule.LogSource.Product);
        else Assert.NotEmpty(rule.Correlation!.Referenced);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RuleFollowsThePackConventions(string id)
    {
        var rule = BuiltInRules.Rules.Single(r => r.Id == id);
        Assert.Equal("CloudIdentity", rule.Author);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", rule.Date ?? "");
        Assert.Contains(rule.Status, new[] { "stable", "test", "experimental" });
        Assert.NotEmpty(rule.References);
        Assert.NotEmpty(rule.Tactics);
        if (rule.Kind == RuleKind.Detection)
        {
            Assert.False(string.IsNullOrEmpty(rule.LogSource.Service), $"{rule.Title}: logsource service");
            if (rule.LogSource.Product == "aws") Assert.Equal("cloudtrail", rule.LogSource.Service);
        }
        Assert.DoesNotContain(rule.Tags, t => t != t.ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RuleIsIndexedByAnExactField(string id)
    {
        // Every built-in rule needs an exact-value field the engine can index, so it is only evaluated on candidate
        // events; an unindexed rule runs on every event of a 1 GB scan. AWS rules index a CloudTrail key field.
        var rule = BuiltInRules.Rules.Single(r => r.Id == id);
        if (rule.Kind != RuleKind.Detection) return; // correlations are driven by the detections they reference
        // Entra ID and Azure rules match one of several raw shapes (Graph camelCase, diagnostic export properties.*,
        // Log Analytics PascalCase; Activity Log REST {value} objects vs storage strings) whose key fields have
        // different names, and the index files a rule under a single field. They are only evaluated on azure/* events.
        if (rule.LogSource.Product == "azure") return;
        var equalities = rule.Condition.RequiredEqualities();
        Assert.NotEmpty(equalities);
        if (rule.LogSource.Product == "aws")
            Assert.Contains(equalities, e => e.Field is "eventSource" or "eventName" or "userIdentity.type" or "errorCode");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RuleSamplesGiveTheirVerdicts(string id)
    {
        var rule = BuiltInRules.Rules.Single(r => r.Id == id);
        Assert.Contains(rule.Tests, t => t.ExpectMatch);
        Assert.Contains(rule.Tests, t => !t.ExpectMatch);
        var result = RuleTester.Test(rule);
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        Assert.All(result.Samples, s => Assert.True(s.Passed, $"{rule.Title}: {s}"));
        Assert.Equal(RuleTestStatus.Passed, result.Status);
    }

    [Fact]
    public void PackShipsTheThreeIdentityCorrelations()
    {
        var correlations = BuiltInRules.Rules.Where(r => r.Kind == RuleKind.Correlation).ToList();
        Assert.Contains(correlations, r => r.Correlation!.Type == CorrelationType.ValueCount && r.Correlation.ValueField == "eventName");
        Assert.Contains(correlations, r => r.Correlation!.Type == CorrelationType.TemporalOrdered && r.NewValueField == "sourceIPAddress");
        Assert.Contains(correlations, r => r.Correlation!.Type == CorrelationType.TemporalOrdered && r.Techniques.Contains("T1098.003"));
        Assert.All(correlations, c => Assert.All(c.Tests, t => Assert.True(t.IsSequence)));
    }
}
