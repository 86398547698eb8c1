using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CloudIdentity.Engine.Secrets;

/// <summary>
/// The secret pattern catalog: every embedded <c>Secrets/Patterns/*.yml</c> resource plus any user YAML files.
/// A pattern is added by adding one YAML entry; nothing lists them centrally.
/// </summary>
public sealed class PatternCatalog
{
    private const string ResourcePrefix = "CloudIdentity.Secrets.Patterns.";
    private static readonly Lazy<PatternCatalog> BuiltInCatalog = new(LoadBuiltIn);
    public static readonly string[] KnownValidators = ["github-checksum", "jwt"];
    public static readonly string[] KnownVerifiers = ["aws-sts"];

    public IReadOnlyList<SecretPattern> Patterns { get; }

    public PatternCatalog(IReadOnlyList<SecretPattern> patterns) => Patterns = patterns;

    public static PatternCatalog BuiltIn => BuiltInCatalog.Value;

    public SecretPattern? Find(string id) => Patterns.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The built-in patterns plus the patterns in the given files (a user id replaces a built-in one).</summary>
    public PatternCatalog With(IEnumerable<SecretPattern> extra)
    {
        var list = Patterns.ToList();
        foreach (var p in extra)
        {
            list.RemoveAll(x => string.Equals(x.Id, p.Id, StringComparison.OrdinalIgnoreCase));
            list.Add(p);
        }
        return new PatternCatalog(list);
    }

    public PatternCatalog Filter(Func<SecretPattern, bool> keep) => new(Patterns.Where(keep).ToList());

    private static PatternCatalog LoadBuiltIn()
    {
        var asm = typeof(PatternCatalog).Assembly;
        var list = new List<SecretPattern>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(asm.GetManifestResourceStream(name)!);
            list.AddRange(Parse(reader.ReadToEnd(), "built-in"));
        }
        return new PatternCatalog(list);
    }

    public static IReadOnlyList<SecretPattern> LoadFile(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses a YAML list of pattern entries (or a mapping with a "patterns" list). Throws <see cref="PatternDefinitionException"/>.</summary>
    public static IReadOnlyList<SecretPattern> Parse(string yaml, string source)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        List<PatternDefinition>? defs;
        try
        {
            var trimmed = yaml.TrimStart();
            defs = trimmed.StartsWith("patterns:", StringComparison.Ordinal)
                ? deserializer.Deserialize<Dictionary<string, List<PatternDefinition>>>(yaml)?.GetValueOrDefault("patterns")
                : deserializer.Deserialize<List<PatternDefinition>>(yaml);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PatternDefinitionException($"{source}: invalid pattern YAML at line {e.Start.Line}: {e.Message}");
        }
        return (defs ?? []).Select(d => Compile(d, source)).ToList();
    }

    public static SecretPattern Compile(PatternDefinition d, string source)
    {
        if (string.IsNullOrWhiteSpace(d.Id) || !Regex.IsMatch(d.Id, "^[a-z0-9][a-z0-9-]*$"))
            throw new PatternDefinitionException($"{source}: pattern id '{d.Id}' must be lower-case letters, digits and '-'.");
        if (string.IsNullOrWhiteSpace(d.Regex)) throw new PatternDefinitionException($"{source}: pattern '{d.Id}' has no regex.");
        if (d.Validator is not null && !KnownValidators.Contains(d.Validator))
            throw new PatternDefinitionException($"{source}: pattern '{d.Id}' names unknown validator '{d.Validator}'.");
        if (d.Verifier is not null && !KnownVerifiers.Contains(d.Verifier))
            throw new PatternDefinitionException($"{source}: pattern '{d.Id}' names unknown verifier '{d.Verifier}'.");
        var severity = SecretSeverity.Medium;
        if (d.Severity is not null && !Enum.TryParse(d.Severity, true, out severity))
            throw new PatternDefinitionException($"{source}: pattern '{d.Id}' has unknown severity '{d.Severity}'.");
        Regex regex;
        try
        {
            var options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
            // ExplicitCapture: only named groups capture; a pattern without (?<secret>) uses the whole match.
            regex = new Regex(d.Regex, options, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw new PatternDefinitionException($"{source}: pattern '{d.Id}' has an invalid regex: {e.Message}");
        }
        var allow = (d.Allow ?? []).Select(a => new Regex(a, RegexOptions.Compiled | RegexOptions.CultureInvariant)).ToList();
        return new SecretPattern
        {
            Id = d.Id,
            Title = d.Title ?? d.Id,
            Severity = severity,
            Source = source,
            Keywords = d.Keywords ?? [],
            CaseSensitive = d.CaseSensitive,
            Multiline = d.Multiline,
            Regex = regex,
            Allow = allow,
            MinEntropy = d.MinEntropy,
            RequireMixed = d.RequireMixed,
            Generic = d.Generic,
            Validator = d.Validator,
            Verifier = d.Verifier,
            Requires = d.Requires,
            WithinLines = d.WithinLines > 0 ? d.WithinLines : 5,
            Priority = d.Priority ?? 100,
            PositiveExamples = d.Examples?.Positive ?? [],
            NegativeExamples = d.Examples?.Negative ?? [],
        };
    }
}

public sealed class PatternDefinitionException(string message) : Exception(message);
