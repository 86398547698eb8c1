namespace CloudIdentity.Engine.Detection;

/// <summary>The rule pack embedded in the engine (Rules/BuiltIn/**/*.yml): one YAML file per rule.</summary>
public static class BuiltInRules
{
    private const string Prefix = "CloudIdentity.Rules.";
    private static readonly Lazy<RuleLoader.Result> Loaded = new(Load);

    public static IReadOnlyList<DetectionRule> Rules => Loaded.Value.Rules;

    /// <summary>Problems loading the built-in pack (a convention test keeps this empty).</summary>
    public static IReadOnlyList<RuleLoadProblem> Problems => Loaded.Value.Problems;

    private static RuleLoader.Result Load()
    {
        var assembly = typeof(BuiltInRules).Assembly;
        var loader = new RuleLoader();
        var rules = new List<DetectionRule>();
        var problems = new List<RuleLoadProblem>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var result = loader.LoadText(reader.ReadToEnd(), name[Prefix.Length..], builtIn: true);
            rules.AddRange(result.Rules);
            problems.AddRange(result.Problems);
        }
        return new RuleLoader.Result(rules, problems);
    }
}
