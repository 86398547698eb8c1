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
        var texts = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            texts.Add((reader.ReadToEnd(), name[Prefix.Length..]));
        }
        // Loaded together, so a correlation may refer to rules in other files of the pack.
        return new RuleLoader().LoadTexts(texts, builtIn: true);
    }
}
