using System.Text.RegularExpressions;
using CloudIdentity.Engine.Detection.Correlation;
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

    public Result LoadPath(string path, bool recurse = true, IEnumerable<DetectionRule>? alongside = null)
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
            var r = LoadDocuments(text, file, file, builtIn: false);
            rules.AddRange(r.Rules);
            problems.AddRange(r.Problems);
        }
        return Link(rules, problems, alongside);
    }

    /// <summary>Loads one rule file's text (all its YAML documents) and links its correlations.</summary>
    /// <param name="alongside">Rules already loaded that correlations in this text may refer to.</param>
    public Result LoadText(string yaml, string origin, bool builtIn, IEnumerable<DetectionRule>? alongside = null)
    {
        var r = LoadDocuments(yaml, origin, builtIn ? "BuiltIn/" + origin : origin, builtIn);
        return Link(r.Rules, r.Problems, alongside);
    }

    /// <summary>Several rule texts loaded together (correlations may refer across them), e.g. the built-in pack.</summary>
    public Result LoadTexts(IEnumerable<(string Yaml, string Origin)> texts, bool builtIn)
    {
        var rules = new List<DetectionRule>();
        var problems = new List<RuleLoadProblem>();
        foreach (var (yaml, origin) in texts)
        {
            var r = LoadDocuments(yaml, origin, builtIn ? "BuiltIn/" + origin : origin, builtIn);
            rules.AddRange(r.Rules);
            problems.AddRange(r.Problems);
        }
        return Link(rules, problems, null);
    }

    /// <summary>Resolves correlation references; a correlation that cannot be resolved becomes a problem.</summary>
    private static Result Link(IReadOnlyList<DetectionRule> rules, IReadOnlyList<RuleLoadProblem> problems, IEnumerable<DetectionRule>? alongside)
    {
        var linked = CorrelationLinker.Link(rules, alongside ?? []);
        return new Result(linked.Rules, [.. problems, .. linked.Problems]);
    }

    private Result LoadDocuments(string yaml, string origin, string file, bool builtIn)
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
                rules.Add(Compile(root, origin, file, builtIn));
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

    private static readonly HashSet<string> TopLevelKeys =
    [
        "title", "id", "name", "related", "taxonomy", "status", "description", "license", "author", "references", "date",
        "modified", "tags", "logsource", "detection", "correlation", "fields", "falsepositives", "level", "scope", "tests",
        "generate", "filter",
    ];

    private DetectionRule Compile(YamlMappingNode root, string origin, string file, bool builtIn)
    {
        if (Node(root, "action") is not null) throw new SigmaException("Rule collections with 'action' (global/reset/repeat) are not supported.", "action");
        if (Node(root, "filter") is not null && Node(root, "detection") is null && Node(root, "correlation") is null)
            throw new SigmaException("Sigma filter rules (meta filters) are not supported.", "filter");
        var title = Text(root, "title") ?? throw new SigmaException("The rule has no title.", "schema");
        Condition condition;
        CorrelationSpec? correlation = null;
        string? newValueField = null;
        IReadOnlyList<string> fields = [];
        var unresolved = new HashSet<string>(StringComparer.Ordinal);
        if (Node(root, "correlation") is { } corrNode)
        {
            if (corrNode is not YamlMappingNode corrMap) throw new SigmaException("'correlation' must be a map.", "correlation");
            correlation = CorrelationParser.Parse(corrMap, Node(root, "generate"));
            newValueField = Text(corrMap, "x-new-value");
            if (newValueField is not null && correlation.Type != CorrelationType.TemporalOrdered)
                throw new SigmaException("'x-new-value' applies to temporal_ordered correlations only.", "x-new-value");
            condition = Condition.Never;
        }
        else
        {
            var detection = Node(root, "detection") as YamlMappingNode ?? throw new SigmaException("The rule has no detection section.", "schema");
            var options = _options with { UnresolvedSink = unresolved };
            var selections = new Dictionary<string, Selection>(StringComparer.Ordinal);
            YamlNode? conditionNode = null;
            foreach (var (k, v) in detection.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? throw new SigmaException("A search identifier must be a plain name.", "detection");
                if (name == "condition") { conditionNode = v; continue; }
                if (name == "timeframe") throw new SigmaException("'timeframe' belongs to deprecated aggregations; use a correlation rule.", "timeframe");
                selections[name] = Selection.Compile(name, v, options);
            }
            fields = selections.Values.SelectMany(x => x.Fields).Distinct(StringComparer.Ordinal).ToArray();
            condition = conditionNode switch
            {
                YamlScalarNode sc => Condition.Parse(sc.Value ?? "", selections),
                // Several conditions are alternatives.
                YamlSequenceNode seq => Condition.Parse(string.Join(" or ", seq.Children.Select(c => $"({((YamlScalarNode)c).Value})")), selections),
                _ => throw new SigmaException("The detection has no condition.", "condition"),
            };
        }
        var tags = List(root, "tags");
        var logsource = Node(root, "logsource") as YamlMappingNode;
        if (correlation is null && logsource is null) throw new SigmaException("The rule has no logsource.", "schema");
        var product = logsource is null ? null : Text(logsource, "product");
        var service = logsource is null ? null : Text(logsource, "service");
        return new DetectionRule(condition)
        {
            Id = Text(root, "id") ?? "",
            Name = Text(root, "name"),
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
            LogSource = LogSourceMap.Map(product, service, logsource is null ? null : Text(logsource, "category")),
            Origin = builtIn ? "BuiltIn" : origin,
            File = file,
            IsBuiltIn = builtIn,
            Correlation = correlation,
            NewValueField = newValueField,
            UnresolvedPlaceholders = unresolved.Order(StringComparer.Ordinal).ToArray(),
            DetectionFields = fields,
            UnknownTopLevelKeys = root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => !TopLevelKeys.Contains(k)).ToArray(),
            Tests = ParseTests(root),
        };
    }

    private static IReadOnlyList<RuleTest> ParseTests(YamlMappingNode root)
    {
        if (Node(root, "tests") is not { } testsNode) return [];
        if (testsNode is not YamlSequenceNode seq) throw new SigmaException("'tests' must be a list of samples.", "tests");
        var tests = new List<RuleTest>();
        int i = 0;
        foreach (var child in seq.Children)
        {
            i++;
            if (child is not YamlMappingNode item) throw new SigmaException($"Test {i} must be a map with name, match/event or expect/events.", "tests");
            var name = Text(item, "name") ?? $"test {i}";
            if (Node(item, "events") is { } eventsNode)
            {
                if (eventsNode is not YamlSequenceNode list) throw new SigmaException($"Test '{name}': 'events' must be a list.", "tests");
                var expectText = Text(item, "expect") ?? throw new SigmaException($"Test '{name}' has events but no 'expect: N' (findings).", "tests");
                var digits = new string(expectText.TakeWhile(char.IsDigit).ToArray());
                if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expect))
                    throw new SigmaException($"Test '{name}': 'expect' must be a number of findings, e.g. 'expect: 1'.", "tests");
                var events = list.Children.Select(EventJson).ToArray();
                tests.Add(new RuleTest(name, expect > 0, events.Length > 0 ? events[0] : default) { Events = events, ExpectFindings = expect });
                continue;
            }
            var match = Text(item, "match") ?? throw new SigmaException($"Test '{name}' has no 'match: true|false'.", "tests");
            if (Node(item, "event") is not { } evt) throw new SigmaException($"Test '{name}' has no event.", "tests");
            tests.Add(new RuleTest(name, match is "true" or "True" or "match", EventJson(evt)));
        }
        return tests;
    }

    private static System.Text.Json.JsonElement EventJson(YamlNode evt)
    {
        try
        {
            return evt is YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded } block
                ? System.Text.Json.JsonDocument.Parse(block.Value ?? "{}").RootElement.Clone()
                : YamlValues.ToJson(evt);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new SigmaException($"A test event is not valid JSON: {e.Message}", "tests");
        }
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

    internal static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    internal static string? Text(YamlMappingNode map, string key) => (Node(map, key) as YamlScalarNode)?.Value;

    internal static IReadOnlyList<string> List(YamlMappingNode map, string key) => Node(map, key) switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToArray(),
        YamlScalarNode s when s.Value is not null => [s.Value],
        _ => [],
    };
}
