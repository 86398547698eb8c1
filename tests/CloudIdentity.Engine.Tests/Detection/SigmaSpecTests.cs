using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Engine.Tests.Detection;

/// <summary>Modifiers and condition forms of the Sigma specification not covered by the edge-case tests.</summary>
public class SigmaSpecTests
{
    [Theory]
    // base64 (whole value) and base64 after contains-free values.
    [InlineData("a|base64: 'whoami'", "d2hvYW1p", true)]
    [InlineData("a|base64: 'whoami'", "xd2hvYW1p", false)]
    [InlineData("a|base64|contains: 'whoami'", "-enc d2hvYW1p /all", true)]
    // UTF-16 encodings before base64 / base64offset.
    [InlineData("a|utf16le|base64: 'hi'", "aABpAA==", true)]
    [InlineData("a|utf16be|base64: 'hi'", "AGgAaQ==", true)]
    [InlineData("a|utf16|base64: 'hi'", "//5oAGkA", true)]
    [InlineData("a|wide|base64offset|contains: 'whoami'", "xx dwBoAG8AYQBtAGkA", true)]
    [InlineData("a|utf16be|base64offset|contains: 'whoami'", "xx dwBoAG8AYQBtAGkA", false)]
    // cased.
    [InlineData("a|cased: 'Admin'", "Admin", true)]
    [InlineData("a|cased: 'Admin'", "admin", false)]
    [InlineData("a|cased|startswith: 'Adm'", "Administrator", true)]
    [InlineData("a|cased|startswith: 'Adm'", "administrator", false)]
    [InlineData("a|cased|endswith: 'Key'", "CreateAccessKey", true)]
    // windash without contains: the whole value.
    [InlineData("a|windash: '-x'", "/x", true)]
    [InlineData("a|windash: '-x'", "run -x", false)]
    // cidr lists and IPv4 written as IPv4-mapped IPv6.
    [InlineData("a|cidr: ['10.0.0.0/8', '192.168.0.0/16']", "192.168.1.1", true)]
    [InlineData("a|cidr: ['10.0.0.0/8', '192.168.0.0/16']", "172.16.0.1", false)]
    [InlineData("a|cidr: '10.0.0.0/8'", "::ffff:10.1.2.3", true)]
    [InlineData("a|cidr: '10.0.0.0/8'", "not an ip", false)]
    // Wildcards and escapes.
    [InlineData("a: 'Get*Policy'", "GetBucketPolicy", true)]
    [InlineData("a: 'Get?olicy'", "GetPolicy", true)]
    [InlineData("a: 'Get?olicy'", "GetPPolicy", false)]
    [InlineData("a: 'x\\*y'", "x*y", true)]
    [InlineData("a: 'x\\*y'", "xzy", false)]
    [InlineData("a: ''", "", true)]
    [InlineData("a|contains: ''", "anything", true)]
    public void StringModifiers(string selection, string value, bool expected)
    {
        var rule = Sigma.Rule($"sel:\n  {selection}\ncondition: sel");
        Assert.Equal(expected, rule.Match($"{{\"a\":\"{value}\"}}"));
    }

    [Theory]
    [InlineData("target|fieldref|startswith: actor", "{\"actor\":\"ali\",\"target\":\"Alice\"}", true)]
    [InlineData("target|fieldref|endswith: actor", "{\"actor\":\"ICE\",\"target\":\"alice\"}", true)]
    [InlineData("target|fieldref|contains: actor", "{\"actor\":\"lic\",\"target\":\"alice\"}", true)]
    [InlineData("target|fieldref|cased: actor", "{\"actor\":\"alice\",\"target\":\"Alice\"}", false)]
    [InlineData("target|fieldref: actor", "{\"actor\":1,\"target\":1}", true)]
    public void FieldRefVariants(string selection, string json, bool expected) =>
        Assert.Equal(expected, Sigma.Rule($"sel:\n  {selection}\ncondition: sel").Match(json));

    [Theory]
    [InlineData("n|gt: 5", "{\"n\":\"6\"}", true)]
    [InlineData("n|gt: 5", "{\"n\":\"0x6\"}", false)]
    [InlineData("n|lt: 5", "{\"n\":-1}", true)]
    [InlineData("n|gte: 1.5", "{\"n\":1.5}", true)]
    [InlineData("n|lte: 0", "{\"n\":true}", false)]
    [InlineData("n: 10", "{\"n\":1e1}", true)]
    [InlineData("n|gt: 5", "{\"n\":[1, 9]}", true)]
    public void NumbersCompareAsNumbersWithoutHexCoercion(string selection, string json, bool expected) =>
        Assert.Equal(expected, Sigma.Rule($"sel:\n  {selection}\ncondition: sel").Match(json));

    [Theory]
    [InlineData("requestParameters.policyDocument.Statement.Effect: Allow", true)]
    [InlineData("requestParameters.policyDocument.Statement.Action: 's3:*'", true)]
    [InlineData("requestParameters.policyDocument.Statement.Action: 'iam:*'", false)]
    [InlineData("requestParameters.policyDocument|contains: '\"Effect\":\"Allow\"'", true)]
    [InlineData("properties.message: 'Add user'", true)]
    [InlineData("resources.ARN|endswith: ':role/app'", true)]
    [InlineData("resources.ARN|endswith: ':role/other'", false)]
    public void FieldsHoldingJsonTextCanBeMatchedAsTextOrNavigated(string selection, bool expected)
    {
        const string json = """
            {"requestParameters":{"policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"},
             "properties":"{\"message\":\"Add user\"}",
             "resources":[{"ARN":"arn:aws:iam::111111111111:user/a"},{"ARN":"arn:aws:iam::111111111111:role/app"}]}
            """;
        Assert.Equal(expected, Sigma.Rule($"sel:\n  {selection}\ncondition: sel").Match(json));
    }

    [Theory]
    [InlineData("'SecretValue'", "{\"a\":{\"b\":[\"x\",\"GetSecretValue\"]}}", true)]
    [InlineData("'secretvalue'", "{\"a\":\"GetSecretValue\"}", true)]
    [InlineData("'Secret*Value'", "{\"a\":\"GetSecretXValue\"}", true)]
    [InlineData("'SecretValue'", "{\"a\":\"GetSecret\"}", false)]
    [InlineData("42", "{\"a\":\"port 42 open\"}", true)]
    public void KeywordSearchesCoverEveryValueOfTheRecord(string keyword, string json, bool expected) =>
        Assert.Equal(expected, Sigma.Rule($"keywords:\n  - {keyword}\ncondition: keywords").Match(json));

    [Theory]
    [InlineData("sel and not 1 of filter*", "{\"x\":1,\"f1\":0,\"f2\":0}", true)]
    [InlineData("sel and not 1 of filter*", "{\"x\":1,\"f1\":1,\"f2\":0}", false)]
    [InlineData("sel and not all of filter*", "{\"x\":1,\"f1\":1,\"f2\":0}", true)]
    [InlineData("all of filter*", "{\"f1\":1,\"f2\":2}", true)]
    [InlineData("3 of them", "{\"x\":1,\"f1\":1,\"f2\":0}", false)]
    [InlineData("3 of them", "{\"x\":1,\"f1\":1,\"f2\":2}", true)]
    [InlineData("1 of them", "{\"h\":1}", false)]
    [InlineData("((sel))", "{\"x\":1}", true)]
    [InlineData("not not sel", "{\"x\":1}", true)]
    [InlineData("sel OR filter1", "{\"f1\":1}", true)]
    public void ConditionForms(string condition, string json, bool expected)
    {
        var rule = Sigma.Rule($"sel:\n  x: 1\nfilter1:\n  f1: 1\nfilter2:\n  f2: 2\n_helper:\n  h: 1\ncondition: {condition}");
        Assert.Equal(expected, rule.Match(json));
    }

    [Fact]
    public void AListOfConditionsIsAnOr()
    {
        var rule = Sigma.Rule("a:\n  x: 1\nb:\n  y: 2\ncondition:\n  - a\n  - b");
        Assert.True(rule.Match("{\"y\":2}"));
        Assert.False(rule.Match("{\"z\":3}"));
    }

    [Fact]
    public void AListOfMapsIsAnOrOfAnds()
    {
        var rule = Sigma.Rule("sel:\n  - {x: 1, y: 2}\n  - {z: 3}\ncondition: sel");
        Assert.True(rule.Match("{\"x\":1,\"y\":2}"));
        Assert.False(rule.Match("{\"x\":1}"));
        Assert.True(rule.Match("{\"z\":3}"));
    }

    [Fact]
    public void ExpandUsesEveryValueAndTheWildcardPolicyReportsUnresolvedNames()
    {
        var options = new SigmaCompileOptions
        {
            Placeholders = new Dictionary<string, IReadOnlyList<string>> { ["ips"] = ["10.0.0.1", "10.0.0.2"] },
            UnresolvedPlaceholders = PlaceholderPolicy.Wildcard,
        };
        var rule = Sigma.Rule("sel:\n  ip|expand: '%ips%'\nfilter:\n  user|expand: '%admins%'\ncondition: sel and not filter", options);
        Assert.Equal(["admins"], rule.UnresolvedPlaceholders);
        Assert.True(rule.Match("{\"ip\":\"10.0.0.2\"}"));
        Assert.False(rule.Match("{\"ip\":\"10.0.0.3\"}"));
        // The unresolved placeholder matches any value, so any user is filtered out.
        Assert.False(rule.Match("{\"ip\":\"10.0.0.2\",\"user\":\"bob\"}"));
    }

    [Theory]
    [InlineData("a|base64|base64offset: x", "base64 and base64offset")]
    [InlineData("a|gt|lt: 5", "more than one numeric comparison")]
    [InlineData("a|exists|contains: true", "'exists' with other modifiers")]
    [InlineData("a|fieldref|base64: b", "'fieldref' with value transformations")]
    [InlineData("a|re|cased: x", "'re' with other")]
    [InlineData("a|cidr: '10.0.0.0/33'", "not a CIDR network")]
    [InlineData("a|contains|base64: x", "wildcards cannot be base64-encoded")]
    [InlineData("a|gt|contains: 5", "'gt' with string modifiers")]
    [InlineData("a|contains|contains: x", "repeated")]
    [InlineData("a|expand: '%nope%'", "%nope%")]
    [InlineData("a|startswith: null", "null cannot take modifiers")]
    [InlineData("a: {b: c}", "not a map")]
    public void InvalidCombinationsAreLoadErrors(string selection, string expected) =>
        Assert.Contains(expected, Sigma.Problem($"sel:\n  {selection}\ncondition: sel"));

    [Theory]
    [InlineData("title: t\nlogsource: {product: aws}\ndetection:\n  sel: {a: 1}\n  condition: sel\n  timeframe: 5m\n", "timeframe")]
    [InlineData("action: global\ntitle: t\n", "action")]
    [InlineData("title: t\nlogsource: {product: aws}\ndetection:\n  sel: {a: 1}\n", "no condition")]
    [InlineData("title: t\nlogsource: {product: aws}\n", "no detection")]
    [InlineData("logsource: {product: aws}\ndetection:\n  sel: {a: 1}\n  condition: sel\n", "no title")]
    [InlineData("title: t\ndetection:\n  sel: {a: 1}\n  condition: sel\n", "no logsource")]
    [InlineData("title: t\nlogsource: {product: aws}\nlevel: severe\ndetection:\n  sel: {a: 1}\n  condition: sel\n", "Unknown level")]
    [InlineData("title: t\nlogsource: {product: aws}\ndetection:\n  sel: {a: 1}\n  condition: sel\ntests:\n  - {name: x, event: {a: 1}}\n", "match")]
    public void SchemaProblemsAreLoadErrors(string yaml, string expected)
    {
        var r = new RuleLoader().LoadText(yaml, "f.yml", builtIn: false);
        Assert.Empty(r.Rules);
        Assert.Contains(expected, Assert.Single(r.Problems).Message);
    }

    [Theory]
    [InlineData("azure", "signinlogs", "azure/signinlogs")]
    [InlineData("azure", "azureactivity", "azure/activitylogs")]
    [InlineData("Azure", "SignInLogs", "azure/signinlogs")]
    [InlineData("o365", "audit", "m365/audit")]
    [InlineData("aws", "cloudtrail", "aws/cloudtrail")]
    public void LogSourcesMapOntoTheModuleSources(string product, string service, string expected) =>
        Assert.Equal(expected, LogSourceMap.Map(product, service, null).ToString());
}
