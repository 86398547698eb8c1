using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Engine.Tests.Detection;

public class SigmaModifierTests
{
    [Theory]
    [InlineData("ip|cidr: '10.0.0.0/8'", "{\"ip\":\"10.1.2.3\"}", true)]
    [InlineData("ip|cidr: '10.0.0.0/8'", "{\"ip\":\"11.1.2.3\"}", false)]
    [InlineData("ip|cidr: '2001:db8::/32'", "{\"ip\":\"2001:db8::1\"}", true)]
    [InlineData("ip|cidr: '2001:db8::/32'", "{\"ip\":\"2001:db9::1\"}", false)]
    [InlineData("n|gt: 10", "{\"n\":11}", true)]
    [InlineData("n|gt: 10", "{\"n\":10}", false)]
    [InlineData("n|gte: 10", "{\"n\":\"10\"}", true)]
    [InlineData("n|lt: 10", "{\"n\":\"0x5\"}", false)]
    [InlineData("n|lte: 10.5", "{\"n\":10.5}", true)]
    [InlineData("n: 16", "{\"n\":\"0x10\"}", false)]
    [InlineData("n: 16", "{\"n\":16.0}", true)]
    [InlineData("n: 16", "{\"n\":\"16\"}", true)]
    [InlineData("a|startswith: 'Get'", "{\"a\":\"getSecretValue\"}", true)]
    [InlineData("a|endswith: 'Value'", "{\"a\":\"GetSecretValue\"}", true)]
    [InlineData("a|endswith: 'Value'", "{\"a\":\"GetValues\"}", false)]
    [InlineData("a|contains|all: ['Secret', 'Get']", "{\"a\":\"GetSecretValue\"}", true)]
    [InlineData("a|contains|all: ['Secret', 'Put']", "{\"a\":\"GetSecretValue\"}", false)]
    [InlineData("a: ['x', 'GetSecret?alue']", "{\"a\":\"GetSecretValue\"}", true)]
    [InlineData("a: 'Get*Value'", "{\"a\":[\"other\",\"GetSecretValue\"]}", true)]
    [InlineData("a|exists: true", "{\"a\":null}", true)]
    [InlineData("a|re|s: 'x.y'", "{\"a\":\"x\\ny\"}", true)]
    [InlineData("a|re: 'x.y'", "{\"a\":\"x\\ny\"}", false)]
    [InlineData("a|re|m: '^y$'", "{\"a\":\"x\\ny\"}", true)]
    [InlineData("b: true", "{\"b\":true}", true)]
    [InlineData("b: true", "{\"b\":\"True\"}", true)]
    [InlineData("b: false", "{\"b\":true}", false)]
    [InlineData("p|contains: '\"Action\":\"*\"'", "{\"p\":{\"Action\":\"*\"}}", true)]
    public void ModifierValues(string selection, string json, bool expected)
    {
        var rule = Sigma.Rule($"sel:\n  {selection}\ncondition: sel");
        Assert.Equal(expected, rule.Match(json));
    }

    [Theory]
    [InlineData("{\"actor\":\"alice\",\"target\":\"ALICE\"}", true)]
    [InlineData("{\"actor\":\"alice\",\"target\":\"bob\"}", false)]
    [InlineData("{\"actor\":\"alice\"}", false)]
    public void FieldRefComparesTwoFields(string json, bool expected)
    {
        var rule = Sigma.Rule("sel:\n  target|fieldref: actor\ncondition: sel");
        Assert.Equal(expected, rule.Match(json));
    }

    [Fact]
    public void ExpandUsesTheUserPlaceholderMap()
    {
        var options = new SigmaCompileOptions { Placeholders = new Dictionary<string, IReadOnlyList<string>> { ["admins"] = ["alice", "bob"] } };
        var rule = Sigma.Rule("sel:\n  user|expand: '%admins%'\ncondition: sel", options);
        Assert.True(rule.Match("{\"user\":\"BOB\"}"));
        Assert.False(rule.Match("{\"user\":\"carol\"}"));
        Assert.Contains("%admins%", Sigma.Problem("sel:\n  user|expand: '%admins%'\ncondition: sel"));
    }

    [Theory]
    [InlineData("a and b", "{\"x\":1,\"y\":2}", true)]
    [InlineData("a and not b", "{\"x\":1,\"y\":2}", false)]
    [InlineData("a or b", "{\"x\":0,\"y\":2}", true)]
    [InlineData("not (a or b)", "{\"x\":0,\"y\":0}", true)]
    [InlineData("not a and b", "{\"x\":0,\"y\":2}", true)]
    [InlineData("a or b and c", "{\"x\":1,\"y\":0,\"z\":0}", true)]
    [InlineData("(a or b) and c", "{\"x\":1,\"y\":0,\"z\":0}", false)]
    [InlineData("all of them", "{\"x\":1,\"y\":2,\"z\":3}", true)]
    [InlineData("all of them", "{\"x\":1,\"y\":2,\"z\":0}", false)]
    [InlineData("2 of them", "{\"x\":1,\"y\":2,\"z\":0}", true)]
    [InlineData("2 of them", "{\"x\":1,\"y\":0,\"z\":0}", false)]
    [InlineData("1 of a*", "{\"x\":1}", true)]
    [InlineData("any of them", "{\"z\":3}", true)]
    public void ConditionGrammar(string condition, string json, bool expected)
    {
        var rule = Sigma.Rule($"a:\n  x: 1\nb:\n  y: 2\nc:\n  z: 3\ncondition: {condition}");
        Assert.Equal(expected, rule.Match(json));
    }

    [Theory]
    [InlineData("a and", "ends too early")]
    [InlineData("(a or b", "not closed")]
    [InlineData("a and missing", "not a search identifier")]
    [InlineData("1 of nothing*", "matches no search identifier")]
    [InlineData("a | count() > 5", "aggregation")]
    public void BadConditionsAreLoadErrors(string condition, string expected)
    {
        Assert.Contains(expected, Sigma.Problem($"a:\n  x: 1\nb:\n  y: 2\ncondition: {condition}"));
    }

    [Theory]
    [InlineData("a|contains|startswith: x", "contains/startswith/endswith")]
    [InlineData("a|re|contains: x", "'re' with other")]
    [InlineData("a|i: x", "without 're'")]
    [InlineData("a|cidr|contains: '10.0.0.0/8'", "'cidr'")]
    [InlineData("a|wide: x", "without base64")]
    [InlineData("a|bogus: x", "Unsupported value modifier 'bogus'")]
    [InlineData("a|gt: abc", "needs a number")]
    [InlineData("a|exists: maybe", "true or false")]
    [InlineData("a|re: '(unclosed'", "Invalid regular expression")]
    public void InvalidModifierCombinationsAreLoadErrors(string selection, string expected)
    {
        Assert.Contains(expected, Sigma.Problem($"sel:\n  {selection}\ncondition: sel"));
    }
}
