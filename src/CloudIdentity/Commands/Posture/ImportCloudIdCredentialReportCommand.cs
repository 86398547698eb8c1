using System.Management.Automation;
using System.Text;
using CloudIdentity.Engine.Posture;

namespace CloudIdentity.Commands;

/// <summary>
/// <para type="synopsis">Reads an IAM credential report (CSV file, or AWS Tools' Get-IAMCredentialReport output) into typed entries.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "CloudIdCredentialReport", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(CredentialReportEntry))]
public sealed class ImportCloudIdCredentialReportCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>CSV text (whole or one line per item, as from Get-IAMCredentialReport -AsTextArray), a stream or bytes, or an object with a Content property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public PSObject[] InputObject { get; set; } = [];

    private readonly StringBuilder _text = new();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            foreach (var p in Path)
            {
                string file;
                try { file = SessionState.Path.GetResolvedProviderPathFromPSPath(p, out _).Single(); }
                catch (Exception e) when (e is ItemNotFoundException or InvalidOperationException or System.Management.Automation.DriveNotFoundException)
                {
                    WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find path '{p}'.", p), "PathNotFound", ErrorCategory.ObjectNotFound, p));
                    continue;
                }
                WriteVerbose($"Reading credential report {file}.");
                Emit(File.ReadAllText(file), file);
            }
            return;
        }
        foreach (var input in InputObject) Append(input);
    }

    private void Append(object? value)
    {
        switch (value)
        {
            case null: return;
            case string s: _text.Append(s); if (!s.EndsWith('\n')) _text.Append('\n'); return;
            case byte[] bytes: _text.Append(Encoding.UTF8.GetString(bytes)); return;
            case Stream stream:
                if (stream.CanSeek) stream.Position = 0;
                using (var reader = new StreamReader(stream, Encoding.UTF8, true, 4096, leaveOpen: true)) _text.Append(reader.ReadToEnd());
                return;
            case PSObject pso when pso.BaseObject is not PSCustomObject: Append(pso.BaseObject); return;
        }
        var content = (value as PSObject ?? PSObject.AsPSObject(value)).Properties["Content"]?.Value;
        if (content is not null) { Append(content); return; }
        WriteError(new ErrorRecord(new ArgumentException($"Input of type {(value is PSObject p ? p.BaseObject : value).GetType().FullName} is not credential report text, bytes, a stream or an object with Content."),
            "CredentialReportInputNotRecognized", ErrorCategory.InvalidType, value));
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == InputObjectSet && _text.Length > 0) Emit(_text.ToString(), "pipeline input");
    }

    private void Emit(string csv, string origin)
    {
        CredentialReport report;
        try { report = CredentialReportParser.Parse(csv); }
        catch (FormatException e)
        {
            WriteError(new ErrorRecord(new InvalidDataException($"{origin}: {e.Message}", e), "CredentialReportMalformed", ErrorCategory.InvalidData, origin));
            return;
        }
        if (!report.HasKeyUsageColumns) WriteVerbose($"{origin}: older report without access_key_N_last_used_* columns; key usage checks will be Manual.");
        foreach (var entry in report.Entries) WriteObject(entry);
    }
}
