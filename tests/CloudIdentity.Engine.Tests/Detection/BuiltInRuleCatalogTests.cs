using CloudIdentity.Engine.Detection;

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
        Assert.Empty(BuiltInRules.Problems.Select(p => p.ToString()));
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
        Assert.NotNull(rule.LogSource.Product);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RuleSamplesGiveTheirVerdicts(string id)
    {
        var rule = BuiltInRules.Rules.Single(r => r.Id == id);
        Assert.Contains(rule.Tests, t => t.ExpectMatch);
        Assert.Contains(rule.Tests, t => !t.ExpectMatch);
        foreach (var test in rule.Tests)
            Assert.True(rule.Matches(test.Event) == test.ExpectMatch, $"{rule.Title}: sample '{test.Name}' expected {(test.ExpectMatch ? "a match" : "no match")}");
    }
}
