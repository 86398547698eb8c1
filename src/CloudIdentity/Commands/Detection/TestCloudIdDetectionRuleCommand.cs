using System.Management.Automation;
using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Detection.Testing;

namespace CloudIdentity.Commands;

/// <summary>
/// Validates Sigma rule files (schema, modifiers, log source, fields) and runs the samples they carry, emitting one
/// result per rule. Without -Path or -Rule it tests the built-in pack.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CloudIdDetectionRule", DefaultParameterSetName = BuiltInSet)]
[OutputType(typeof(RuleTestResult))]
public sealed class TestCloudIdDetectionRuleCommand : PSCmdlet
{
    private const string BuiltInSet = "BuiltIn";
    private const string PathSet = "Path";
    private const string RuleSet = "Rule";

    /// <summary>Rule files, or folders searched recursively for *.yml / *.yaml.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Loaded rules, e.g. from Get-CloudIdDetectionRule.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RuleSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DetectionRule[] Rule { get; set; } = [];

    /// <summary>Values for <c>expand</c> placeholders when loading files.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public System.Collections.Hashtable? Placeholder { get; set; }

    /// <summary>Only results that are not Passed.</summary>
    [Parameter]
    public SwitchParameter FailedOnly { get; set; }

    private bool _hadInput;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == RuleSet)
        {
            _hadInput = true;
            Emit(RuleTester.Test(Rule));
            return;
        }
        if (ParameterSetName != PathSet) return;
        var loader = new RuleLoader(PlaceholderOptions.From(Placeholder));
        foreach (var path in Path)
        {
            foreach (var item in PathResolver.Resolve(this, path, WriteError))
            {
                WriteVerbose($"Testing Sigma rules in '{item}'.");
                var result = loader.LoadPath(item, alongside: BuiltInRules.Rules);
                Emit(RuleTester.Test(result.Rules, result.Problems));
            }
        }
    }

    protected override void EndProcessing()
    {
        // The parameter set is only final once pipeline input is bound, so the built-in pack is tested here.
        if (ParameterSetName != BuiltInSet || _hadInput) return;
        WriteVerbose($"Testing the built-in pack: {BuiltInRules.Rules.Count} rule(s).");
        Emit(RuleTester.Test(BuiltInRules.Rules, BuiltInRules.Problems));
    }

    private void Emit(IEnumerable<RuleTestResult> results)
    {
        foreach (var r in results)
        {
            if (FailedOnly && r.Status == RuleTestStatus.Passed) continue;
            WriteObject(r);
        }
    }
}
