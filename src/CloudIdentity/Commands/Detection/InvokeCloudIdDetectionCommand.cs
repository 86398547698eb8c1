using System.Management.Automation;
using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Commands;

/// <summary>Runs detection rules over events from the pipeline and emits findings.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "CloudIdDetection")]
[OutputType(typeof(Finding))]
public sealed class InvokeCloudIdDetectionCommand : PSCmdlet
{
    /// <summary>Events from Get-CloudIdEvent (or any CloudIdentity event source).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public CloudIdEvent? InputObject { get; set; }

    /// <summary>Rules from Get-CloudIdDetectionRule, built-in rule ids, or rule file/folder paths; the built-in pack when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [RuleArgumentTransformation]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    public DetectionRule[]? Rule { get; set; }

    /// <summary>Only findings at this severity or above.</summary>
    [Parameter]
    public Severity MinimumSeverity { get => (Severity)(_minimumSeverity ?? Severity.Informational); set => _minimumSeverity = value; }

    // Engine value types are kept boxed: PowerShell loads this class's field layout before the module initializer
    // has hooked the engine's load context, and an engine-typed value field would need the engine then.
    private object? _minimumSeverity;

    private DetectionEngine _engine = null!;
    private long _events;
    private long _findings;
    private readonly System.Diagnostics.Stopwatch _clock = new();
    private DateTime _lastProgress = DateTime.UtcNow;

    protected override void BeginProcessing()
    {
        var rules = Rule ?? BuiltInRules.Rules;
        _engine = new DetectionEngine(rules.Where(r => r.Level >= MinimumSeverity));
        WriteVerbose($"Running {_engine.Rules.Count} detection rule(s){(Rule is null ? " from the built-in pack" : "")}, {_engine.StatefulDetectors.Count} of them correlation(s).");
        _clock.Start();
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        _events++;
        foreach (var finding in _engine.Evaluate(InputObject))
        {
            _findings++;
            WriteObject(finding);
        }
        if ((_events & 4095) == 0 && DateTime.UtcNow - _lastProgress > TimeSpan.FromSeconds(1))
        {
            _lastProgress = DateTime.UtcNow;
            WriteProgress(new ProgressRecord(2, "Running detections", $"{_events:N0} events, {_findings:N0} findings"));
        }
    }

    protected override void EndProcessing()
    {
        // Correlations decide windows still open at the end of the stream (e.g. 'lt' conditions).
        foreach (var finding in _engine.Flush())
        {
            _findings++;
            WriteObject(finding);
        }
        WriteProgress(new ProgressRecord(2, "Running detections", "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Evaluated {_events:N0} event(s) in {_clock.Elapsed.TotalSeconds:N1} s; {_findings:N0} finding(s).");
    }
}
