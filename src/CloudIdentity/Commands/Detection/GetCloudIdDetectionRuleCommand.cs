using System.Management.Automation;
using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Commands;

/// <summary>Lists the built-in detection rules, or loads Sigma rules from files and folders.</summary>
[Cmdlet(VerbsCommon.Get, "CloudIdDetectionRule", DefaultParameterSetName = BuiltInSet)]
[OutputType(typeof(DetectionRule))]
public sealed class GetCloudIdDetectionRuleCommand : PSCmdlet
{
    private const string BuiltInSet = "BuiltIn";
    private const string PathSet = "Path";

    /// <summary>Sigma rule files, or folders searched recursively for *.yml / *.yaml.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    /// <summary>With -Path, also return the built-in rules.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter IncludeBuiltIn { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    public string[]? Id { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[]? Tag { get; set; }

    /// <summary>MITRE ATT&amp;CK technique ids (T1098, T1098.001); a technique also selects its sub-techniques.</summary>
    [Parameter]
    public string[]? Technique { get; set; }

    /// <summary>Rules at this level or above.</summary>
    [Parameter]
    public Severity? MinimumLevel { get => (Severity?)_minimumLevel; set => _minimumLevel = value; }

    // Boxed: see InvokeCloudIdDetectionCommand for why cmdlet classes hold no engine value-type fields.
    private object? _minimumLevel;

    /// <summary>Log source as product/service, e.g. aws/cloudtrail (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    public string? LogSource { get; set; }

    /// <summary>Values for <c>expand</c> placeholders: <c>@{ Legitimate_Countries = 'DE', 'FR' }</c>. A placeholder without a value matches any value (with a warning).</summary>
    [Parameter(ParameterSetName = PathSet)]
    public System.Collections.Hashtable? Placeholder { get; set; }

    private readonly HashSet<DetectionRule> _emitted = [];
    private readonly List<DetectionRule> _loaded = [];

    protected override void BeginProcessing()
    {
        foreach (var problem in BuiltInRules.Problems) WriteWarning($"Built-in rule {problem}");
        if (ParameterSetName == BuiltInSet) Emit(BuiltInRules.Rules);
        else if (IncludeBuiltIn) Emit(BuiltInRules.Rules);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != PathSet) return;
        var loader = new RuleLoader(PlaceholderOptions.From(Placeholder));
        foreach (var path in Path)
        {
            foreach (var item in PathResolver.Resolve(this, path, WriteError))
            {
                WriteVerbose($"Loading Sigma rules from '{item}'.");
                var started = System.Diagnostics.Stopwatch.StartNew();
                // Correlations may refer to rules in other files given to this command and to the built-in pack.
                var result = loader.LoadPath(item, alongside: [.. BuiltInRules.Rules, .. _loaded]);
                foreach (var problem in result.Problems)
                    WriteWarning($"Rule not loaded: {problem}{(problem.Feature is not null ? $" [unsupported or invalid: {problem.Feature}]" : "")}");
                foreach (var rule in result.Rules.Where(r => r.UnresolvedPlaceholders.Count > 0))
                    WriteWarning($"Rule loaded with placeholders that have no value, matched as '*': {rule.File} ({rule.Title}): {string.Join(", ", rule.UnresolvedPlaceholders.Select(p => $"%{p}%"))}. Pass -Placeholder to set them.");
                WriteVerbose($"Loaded {result.Rules.Count} rule(s) from '{item}' in {started.ElapsedMilliseconds} ms; {result.Problems.Count} could not be loaded.");
                _loaded.AddRange(result.Rules);
                Emit(result.Rules);
            }
        }
    }

    private void Emit(IEnumerable<DetectionRule> rules)
    {
        foreach (var rule in rules)
        {
            if (Selected(rule) && _emitted.Add(rule)) WriteObject(rule);
        }
    }

    private bool Selected(DetectionRule rule)
    {
        if (Id is not null && !Id.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(rule.Id))) return false;
        if (Tag is not null && !Tag.Any(p => rule.Tags.Any(t => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(t)))) return false;
        if (Technique is not null && !Technique.Any(t => rule.Techniques.Any(rt =>
                string.Equals(rt, t, StringComparison.OrdinalIgnoreCase) || rt.StartsWith(t + ".", StringComparison.OrdinalIgnoreCase)))) return false;
        if (MinimumLevel is { } min && rule.Level < min) return false;
        if (LogSource is not null && !WildcardPattern.Get(LogSource, WildcardOptions.IgnoreCase).IsMatch(rule.LogSource.ToString())) return false;
        return true;
    }
}
