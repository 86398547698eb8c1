using System.Text.Json;
using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Engine.Tests.Detection;

internal static class Sigma
{
    /// <summary>Compiles a rule from a detection block (YAML, indented under 'detection:').</summary>
    public static RuleLoader.Result Load(string detectionYaml, SigmaCompileOptions? options = null)
    {
        var indented = string.Join("\n", detectionYaml.Trim('\n').Split('\n').Select(l => "  " + l));
        var yaml = $"title: test rule\nid: 00000000-0000-0000-0000-000000000001\nlogsource:\n  product: test\ndetection:\n{indented}\nlevel: low\n";
        return new RuleLoader(options).LoadText(yaml, "inline", builtIn: false);
    }

    public static DetectionRule Rule(string detectionYaml, SigmaCompileOptions? options = null)
    {
        var r = Load(detectionYaml, options);
        Assert.True(r.Problems.Count == 0, string.Join("; ", r.Problems));
        return Assert.Single(r.Rules);
    }

    public static bool Match(this DetectionRule rule, string json) => rule.Matches(JsonDocument.Parse(json).RootElement);

    public static string Problem(string detectionYaml)
    {
        var r = Load(detectionYaml);
        Assert.Empty(r.Rules);
        return Assert.Single(r.Problems).Message;
    }
}
