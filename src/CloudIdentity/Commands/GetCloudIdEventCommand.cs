using System.Management.Automation;
using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Commands;

/// <summary>
/// <para type="synopsis">Reads cloud logs into normalized CloudIdentity events.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudIdEvent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CloudIdEvent))]
public sealed class GetCloudIdEventCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    // Not bound from the pipeline by property name: every line from Get-Content carries a PSPath note, which would
    // re-read the whole file once per line. Files and folders from Get-ChildItem arrive through -InputObject.
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Pipeline input: raw JSON strings, objects with a CloudTrailEvent property (AWS Tools' Find-CTEvent), Microsoft Graph PowerShell SDK objects (Get-MgAuditLogSignIn, Get-MgAuditLogDirectoryAudit) or PSCustomObjects.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>Reads folders recursively (folders given by path or piped from Get-ChildItem).</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>File-name patterns read from folders.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Include { get; set; } = ["*.json", "*.gz", "*.jsonl", "*.ndjson", "*.log"];

    /// <summary>Force the log source instead of detecting it per record.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LogSourceCompleter))]
    public string? Source { get; set; }

    [Parameter]
    public DateTime StartTime { get; set; }

    [Parameter]
    public DateTime EndTime { get; set; }

    /// <summary>Files read at the same time (default: the number of processors, at most 4).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    private readonly CancellationTokenSource _cancel = new();
    private EventReader _reader = null!;
    private readonly List<string> _files = [];
    private long _inputIndex;

    protected override void BeginProcessing()
    {
        if (Source is not null && NormalizerCatalog.Find(Source) is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Unknown log source '{Source}'. Known sources: {string.Join(", ", NormalizerCatalog.SourceNames)}."),
                "UnknownLogSource", ErrorCategory.InvalidArgument, Source));
        }
        _reader = new EventReader(new ReadOptions
        {
            Source = Source,
            StartTime = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) ? TimeArguments.ToUtc(StartTime) : null,
            EndTime = MyInvocation.BoundParameters.ContainsKey(nameof(EndTime)) ? TimeArguments.ToUtc(EndTime) : null,
        });
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var input in InputObject) ReadInputObject(input);
            return;
        }
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in PathResolver.ResolveFiles(this, literal ? LiteralPath : Path, literal, Recurse, Include, WriteError))
            _files.Add(file);
    }

    protected override void EndProcessing()
    {
        if (_files.Count == 0) return;
        WriteVerbose($"Reading {_files.Count} file(s) with up to {ThrottleLimit} at a time.");
        var progress = new ProgressRecord(1, "Reading cloud logs", "Starting");
        var lastProgress = DateTime.UtcNow;
        long events = 0;
        string? currentOrigin = null;
        int fileIndex = 0;
        var parallel = new ParallelFileReader(_reader, Math.Min(ThrottleLimit, _files.Count));
        foreach (var item in parallel.Read(_files, _cancel.Token))
        {
            ReadItemWriter.Write(this, item);
            if (item.Event is not null)
            {
                events++;
                if (!ReferenceEquals(item.Event.Origin, currentOrigin)) { currentOrigin = item.Event.Origin; fileIndex = Math.Max(fileIndex, _files.IndexOf(currentOrigin!) + 1); }
            }
            if ((events & 1023) == 0 && DateTime.UtcNow - lastProgress > TimeSpan.FromMilliseconds(500))
            {
                lastProgress = DateTime.UtcNow;
                progress.StatusDescription = $"{events:N0} events; file {fileIndex} of {_files.Count}";
                progress.PercentComplete = Math.Min(100, fileIndex * 100 / _files.Count);
                WriteProgress(progress);
            }
        }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }

    protected override void StopProcessing() => _cancel.Cancel();

    private void ReadInputObject(PSObject? input)
    {
        if (input?.BaseObject is null) return;
        var origin = $"pipeline input {_inputIndex++}";
        switch (input.BaseObject)
        {
            case FileInfo file:
                _files.Add(file.FullName);
                return;
            case DirectoryInfo folder:
                _files.AddRange(PathResolver.ResolveFiles(this, [folder.FullName], literal: true, Recurse, Include, WriteError));
                return;
            case string text:
                if (string.IsNullOrWhiteSpace(text)) return;
                foreach (var item in _reader.ReadText(text, origin)) ReadItemWriter.Write(this, item);
                return;
            case CloudIdEvent e:
                WriteObject(e); // already normalized: pass through
                return;
        }
        // AWS Tools' Find-CTEvent objects (Amazon.CloudTrail.Model.Event) carry the record as a JSON string.
        var json = input.Properties["CloudTrailEvent"]?.Value as string;
        if (json is not null)
        {
            var envelope = new Dictionary<string, object?>
            {
                ["EventId"] = input.Properties["EventId"]?.Value?.ToString(),
                ["EventName"] = input.Properties["EventName"]?.Value?.ToString(),
                ["EventSource"] = input.Properties["EventSource"]?.Value?.ToString(),
                ["Username"] = input.Properties["Username"]?.Value?.ToString(),
                ["CloudTrailEvent"] = json,
            };
            foreach (var item in _reader.ReadText(JsonSerializer.Serialize(envelope), origin)) ReadItemWriter.Write(this, item);
            return;
        }
        // Microsoft Graph PowerShell SDK objects (Get-MgAuditLogSignIn, Get-MgAuditLogDirectoryAudit) and PSCustomObjects.
        if (PipelineObjectJson.CanConvert(input))
        {
            foreach (var item in _reader.ReadText(PipelineObjectJson.ToJson(input), origin)) ReadItemWriter.Write(this, item);
            return;
        }
        WriteError(new ErrorRecord(new ArgumentException($"Pipeline input of type {input.BaseObject.GetType().FullName} is neither JSON text, a file, an object with a CloudTrailEvent property, nor a Graph SDK or custom object."),
            "InputObjectNotRecognized", ErrorCategory.InvalidType, input));
    }
}
