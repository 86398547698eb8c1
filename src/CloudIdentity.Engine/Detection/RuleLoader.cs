using System.Text.RegularExpressions;
using CloudIdentity.Engine.Detection.Sigma;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudIdentity.Engine.Detection;

/// <summary>
/// Loads Sigma rule files. Problems never throw: every document that cannot be loaded is reported as a
/// <see cref="RuleLoadProblem"/> naming the file and the unsupported feature.
/// </summary>
public sealed partial class RuleLoader(SigmaCompileOptions? options = null)
{
    private readonly SigmaCompileOptions _options = options ?? new SigmaCompileOptions();

    public sealed record Result(IReadOnlyList<DetectionRule> Rules, IReadOnlyList<RuleLoadProblem> Problems);

    public Result LoadPath(string path, bool recurse = true)
    {
        var rules = new List<DetectionRule>();
        var problems = new List<RuleLoadProblem>();
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.yml", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Concat(Directory.EnumerateFiles(path, "*.yaml", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
                .OrderBy(f => f, StringComparer.Ordinal)
            : [path];
        foreach (var file in files)
        {
            string text;
            try { text = File.ReadAllText(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new RuleLoadProblem(file, null, null, e.Message, "file"));
                continue;
            }
            var r = LoadText(text, file, builtIn: false);
            rules.AddRange(r.Rules);
            problems.AddRange(r.Problems);
        }
        return new Result(rules, problems);
    }

    public Result LoadText(string yaml, string origin, bool builtIn)
    {
        var rules = new List<DetectionRule>();
        var problems = new List<RuleLoadProblem>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            problems.Add(new RuleLoadProblem(origin, null, null, $"Not valid YAML: {e.Message}", "yaml"));
            return new Result(rules, problems);
        }
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root)
            {
                problems.Add(new RuleLoadProblem(origin, null, null, "A rule document must be a YAML map.", "yaml"));
                continue;
            }
            var title = Text(root, "title");
            var id = Text(root, "id");
            try
            {
                rules.Add(Compile(root, origin, builtIn));
            }
            catch (SigmaException e)
            {
                problems.Add(new RuleLoadProblem(origin, id, title, e.Message, e.Feature));
            }
            catch (Exception e) when (e is InvalidCastException or YamlException or FormatException)
            {
                problems.Add(new RuleLoadProblem(origin, id, title, $"Malformed rule: {e.Message}", "schema"));
            }
        }
        return new Result(rules, problems);
    }

    private DetectionRule Compile(YamlMappingNode root, string origin, bool builtIn)
    {
        if (Node(root, "action") is not null) throw new SigmaException("Rule collections with 'action' (global/reset/repeat) are not supported.", "action");
        if (Node(root, "correlation") is not null) throw new SigmaException("Correlation rules are not supported yet.", "correlation");
        var title = Text(root, "title") ?? throw new SigmaException("The rule has no title.", "schema");
        var detection = Node(root, "detection") as YamlMappingNode ?? throw new SigmaException("The rule has no detection section.", "schema");
        var selections = new Dictionary<string, Selection>(StringComparer.Ordinal);
        YamlNode? conditionNode = null;
        foreach (var (k, v) in detection.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (name == "condition") { conditionNode = v; continue; }
            if (name == "timeframe") throw new SigmaException("'timeframe' belongs to deprecated aggregations; use a correlation rule.", "timeframe");
            selections[name] = Selection.Compile(name, v, _options);
        }
        var condition = conditionNode switch
        {
            YamlScalarNode s => Condition.Parse(s.Value ?? "", selections),
            // Several conditions are alternatives.
            YamlSequenceNode seq => Condition.Parse(string.Join(" or ", seq.Children.Select(c => $"({((YamlScalarNode)c).Value})")), selections),
            _ => throw new SigmaException("The detection has no condition.", "condition"),
        };
        var tags = List(root, "tags");
        var logsource = Node(root, "logsource") as YamlMappingNode;
        return new DetectionRule(condition)
        {
            Id = Text(root, "id") ?? "",
            Title = title,
            Description = Text(root, "description")?.Trim(),
            Status = Text(root, "status"),
            Level = ParseLevel(Text(root, "level")),
            Author = Text(root, "author"),
            Date = Text(root, "date"),
            Modified = Text(root, "modified"),
            Tags = tags,
            Techniques = tags.Select(t => TechniqueTag().Match(t)).Where(m => m.Success).Select(m => m.Groups[1].Value.ToUpperInvariant()).Distinct().ToArray(),
            Tactics = tags.Where(t => t.StartsWith("attack.", StringComparison.OrdinalIgnoreCase) && !TechniqueTag().IsMatch(t) && !GroupTag().IsMatch(t))
                .Select(t => t["attack.".Length..].Replace('_', '-')).ToArray(),
            References = List(root, "references"),
            FalsePositives = List(root, "falsepositives"),
            Fields = List(root, "fields"),
            LogSource = new LogSourceSpec(logsource is null ? null : Text(logsource, "product"), logsource is null ? null : Text(logsource, "service"), logsource is null ? null : Text(logsource, "category")),
            Origin = builtIn ? "BuiltIn" : origin,
            IsBuiltIn = builtIn,
            Tests = ParseTests(root),
        };
    }

    private static IReadOnlyList<RuleTest> ParseTests(YamlMappingNode root)
    {
        if (Node(root, "tests") is not YamlSequenceNode seq) return [];
        var tests = new List<RuleTest>();
        int i = 0;
        foreach (var item in seq.Children.OfType<YamlMappingNode>())
        {
            i++;
            var name = Text(item, "name") ?? $"test {i}";
            var match = Text(item, "match") ?? throw new SigmaException($"Test '{name}' has no 'match: true|false'.", "tests");
            if (Node(item, "event") is not { } evt) throw new SigmaException($"Test '{name}' has no event.", "tests");
            var json = evt is YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded } block
                ? System.Text.Json.JsonDocument.Parse(block.Value ?? "{}").RootElement.Clone()
                : YamlValues.ToJson(evt);
            tests.Add(new RuleTest(name, match is "true" or "True" or "match", json));
        }
        return tests;
    }

    private static Severity ParseLevel(string? level) => level?.ToLowerInvariant() switch
    {
        "informational" => Severity.Informational,
        "low" => Severity.Low,
        "medium" or null => Severity.Medium,
        "high" => Severity.High,
        "critical" => Severity.Critical,
        _ => throw new SigmaException($"Unknown level '{level}'.", "level"),
    };

    [GeneratedRegex(@"^attack\.(t\d{4}(?:\.\d{3})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex TechniqueTag();

    [GeneratedRegex(@"^attack\.(g|s)\d{4}$", RegexOptions.IgnoreCase)]
    private static partial Regex GroupTag();

    private static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Text(YamlMappingNode map, string key) => (Node(map, key) as YamlScalarNode)?.Value;

    private static IReadOnlyList<string> List(YamlMappingNode map, string key) => Node(map, key) switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToArray(),
        YamlScalarNode s when s.Value is not null => [s.Value],
        _ => [],
    };
}
