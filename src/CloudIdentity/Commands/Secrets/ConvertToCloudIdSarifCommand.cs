using System.Management.Automation;
using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Commands;

/// <summary>
/// <para type="synopsis">Converts secret findings to a SARIF 2.1.0 log for code-scanning tools.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "CloudIdSarif")]
[OutputType(typeof(string))]
public sealed class ConvertToCloudIdSarifCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [AllowEmptyCollection]
    public SecretFinding[] InputObject { get; set; } = [];

    /// <summary>Folder that artifact URIs are made relative to (default: the current location).</summary>
    [Parameter]
    public string? BasePath { get; set; }

    private readonly List<SecretFinding> _findings = [];

    protected override void ProcessRecord() => _findings.AddRange(InputObject);

    protected override void EndProcessing()
    {
        var basePath = BasePath is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(BasePath);
        WriteVerbose($"Writing SARIF 2.1.0 for {_findings.Count} finding(s); URIs relative to {basePath}.");
        WriteObject(SarifWriter.Write(_findings, basePath));
    }
}
