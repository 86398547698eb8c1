using System.Collections;
using System.Management.Automation;
using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Commands;

/// <summary>
/// <para type="synopsis">Finds exposed credentials in files, folders, archives, container images and strings.</para>
/// </summary>
[Cmdlet(VerbsCommon.Find, "CloudIdSecret", DefaultParameterSetName = PathSet)]
[OutputType(typeof(SecretFinding))]
public sealed class FindCloudIdSecretCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Text to scan: strings (Get-Content lines keep their line numbers), or name/value items such as Get-ChildItem env:.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    public PSObject?[] InputObject { get; set; } = [];

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Wildcards for file or folder names (or relative paths) to leave out; also applied to paths inside archives.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [SupportsWildcards]
    public string[] Exclude { get; set; } = [];

    /// <summary>YAML files with more patterns (same format as the built-in catalog); an id that exists replaces it.</summary>
    [Parameter]
    public string[] PatternFile { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(SecretPatternCompleter))]
    [SupportsWildcards]
    public string[] PatternId { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(SecretPatternCompleter))]
    [SupportsWildcards]
    public string[] ExcludePatternId { get; set; } = [];

    /// <summary>Known findings to leave out: a file of fingerprints (one per line), or JSON/SARIF output of an earlier scan.</summary>
    [Parameter]
    public string? BaselinePath { get; set; }

    [Parameter]
    [ValidateRange(0, 32)]
    public int MaxArchiveDepth { get; set; } = 5;

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaxFileSize { get; set; } = 512L * 1024 * 1024;

    /// <summary>Contact the provider to check whether found credentials work (AWS STS GetCallerIdentity). Off by default.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>STS endpoint used by -Verify (for private endpoints and tests).</summary>
    [Parameter]
    public Uri? VerifyEndpoint { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    private readonly CancellationTokenSource _cancel = new();
    private readonly List<string> _targets = [];
    private SecretScanner _scanner = null!;
    private int _inputLine;

    protected override void BeginProcessing()
    {
        var catalog = PatternCatalog.BuiltIn;
        try
        {
            foreach (var file in PatternFile)
            {
                var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(file);
                catalog = catalog.With(PatternCatalog.LoadFile(resolved));
                WriteVerbose($"Loaded patterns from {resolved}.");
            }
        }
        catch (Exception e) when (e is PatternDefinitionException or IOException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PatternFileInvalid", ErrorCategory.InvalidData, PatternFile));
        }
        if (PatternId.Length > 0) catalog = catalog.Filter(p => Matches(PatternId, p.Id) || p.Requires is not null && Matches(PatternId, p.Requires));
        if (ExcludePatternId.Length > 0) catalog = catalog.Filter(p => !Matches(ExcludePatternId, p.Id));
        HashSet<string> baseline = [];
        if (BaselinePath is not null)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(BaselinePath);
            try { baseline = Baseline.Load(resolved); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException || JsonErrors.IsJsonException(e))
            {
                ThrowTerminatingError(new ErrorRecord(e, "BaselineUnreadable", ErrorCategory.ReadError, BaselinePath));
            }
            WriteVerbose($"Baseline {resolved}: {baseline.Count} known fingerprint(s) will be left out.");
        }
        AwsStsVerifier? verifier = null;
        if (Verify)
        {
            verifier = new AwsStsVerifier(VerifyEndpoint);
            WriteWarning($"-Verify contacts the provider: each AWS key pair found is sent to AWS STS GetCallerIdentity at {verifier.Describe()}.");
        }
        _scanner = new SecretScanner(new SecretScanOptions
        {
            Catalog = catalog,
            MaxArchiveDepth = MaxArchiveDepth,
            MaxFileSize = MaxFileSize,
            Baseline = baseline,
            ExcludeEntries = Exclude,
            Verifier = verifier,
        });
        WriteVerbose($"Scanning with {catalog.Patterns.Count} pattern(s).");
    }

    private static bool Matches(string[] patterns, string id) =>
        patterns.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(id));

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var input in InputObject) ScanInput(input);
            return;
        }
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var target in SecretTargetResolver.Resolve(this, literal ? LiteralPath : Path, literal, Recurse, Exclude, WriteError))
            _targets.Add(target);
    }

    protected override void EndProcessing()
    {
        if (_targets.Count == 0) return;
        WriteVerbose($"Scanning {_targets.Count} file(s) with up to {ThrottleLimit} at a time.");
        var progress = new ProgressRecord(2, "Scanning for secrets", "Starting");
        var last = DateTime.UtcNow;
        var done = 0;
        var results = _targets.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Min(ThrottleLimit, _targets.Count))
            .WithCancellation(_cancel.Token).Select(t => (Target: t, Items: _scanner.ScanPath(t, _cancel.Token)));
        try
        {
            foreach (var (target, items) in results)
            {
                done++;
                foreach (var item in items) WriteItem(item, target);
                if (DateTime.UtcNow - last > TimeSpan.FromMilliseconds(250))
                {
                    last = DateTime.UtcNow;
                    progress.StatusDescription = $"{done} of {_targets.Count}: {target}";
                    progress.PercentComplete = done * 100 / _targets.Count;
                    WriteProgress(progress);
                }
            }
        }
        catch (OperationCanceledException) { return; }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }

    protected override void StopProcessing() => _cancel.Cancel();

    private void ScanInput(PSObject? input)
    {
        if (input?.BaseObject is null) return;
        string text;
        string origin = "InputObject";
        switch (input.BaseObject)
        {
            case string s: text = s; break;
            case DictionaryEntry d: text = $"{d.Key}={d.Value}"; origin = $"InputObject:{d.Key}"; break;
            case FileInfo f:
                foreach (var item in _scanner.ScanPath(f.FullName, _cancel.Token)) WriteItem(item, f.FullName);
                return;
            default:
                var name = input.Properties["Name"]?.Value ?? input.Properties["Key"]?.Value;
                var value = input.Properties["Value"]?.Value;
                text = name is not null && value is not null ? $"{name}={value}" : input.BaseObject.ToString() ?? "";
                if (name is not null) origin = $"InputObject:{name}";
                break;
        }
        var firstLine = _inputLine;
        _inputLine += 1 + text.Count(c => c == '\n');
        foreach (var item in _scanner.ScanText(text, origin))
        {
            if (item.Finding is { } f && origin == "InputObject") f.ShiftLine(firstLine);
            WriteItem(item, origin);
        }
    }

    private void WriteItem(ScanItem item, string target)
    {
        if (item.Finding is { } f) { WriteObject(f); return; }
        var n = item.Notice!;
        switch (n.Kind)
        {
            case ScanNoticeKind.Suppressed: WriteVerbose($"Suppressed at {n.Location}: {n.Reason}"); break;
            case ScanNoticeKind.ReadError:
                WriteError(new ErrorRecord(new IOException($"{n.Location}: {n.Reason}"), "SecretScanReadError", ErrorCategory.ReadError, n.Location));
                break;
            default: WriteWarning(n.ToString()); break;
        }
    }
}
