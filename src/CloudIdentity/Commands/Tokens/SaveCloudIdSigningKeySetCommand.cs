using System.Management.Automation;
using CloudIdentity.Engine.Tokens;

namespace CloudIdentity.Commands.Tokens;

/// <summary>
/// <para type="synopsis">Records an issuer's published signing keys (JWKS) with the time they were seen, building the history Test-CloudIdToken uses to spot retired keys.</para>
/// </summary>
[Cmdlet(VerbsData.Save, "CloudIdSigningKeySet", DefaultParameterSetName = JwksPathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SigningKeySetRecord))]
public sealed class SaveCloudIdSigningKeySetCommand : PSCmdlet
{
    private const string JwksPathSet = "JwksPath";
    private const string JwksSet = "Jwks";
    private const string DiscoverySet = "Discovery";

    /// <summary>The name the history is kept under: the issuer (or template) tokens are checked against.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Issuer { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = JwksPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string JwksPath { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = JwksSet)]
    [ValidateNotNullOrEmpty]
    public string Jwks { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = DiscoverySet)]
    public Uri DiscoveryUri { get; set; } = null!;

    /// <summary>When the key set was observed (default: now).</summary>
    [Parameter] public DateTime SeenAt { get; set; }

    /// <summary>History folder (default: CloudIdentity/SigningKeyHistory under the user's local application data).</summary>
    [Parameter] [ValidateNotNullOrEmpty] public string StorePath { get; set; } = "";

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        var store = StorePath.Length > 0 ? GetUnresolvedProviderPathFromPSPath(StorePath) : SigningKeyHistory.DefaultStorePath;
        var seenAt = MyInvocation.BoundParameters.ContainsKey(nameof(SeenAt)) ? TimeArguments.ToUtc(SeenAt) : DateTimeOffset.UtcNow;
        string json;
        object target = ParameterSetName switch { JwksPathSet => JwksPath, DiscoverySet => DiscoveryUri, _ => "-Jwks" };
        try
        {
            json = ParameterSetName switch
            {
                JwksPathSet => File.ReadAllText(GetUnresolvedProviderPathFromPSPath(JwksPath)),
                DiscoverySet => new OidcKeySource(DiscoveryUri).FetchJwksJsonAsync(_cancel.Token).GetAwaiter().GetResult(),
                _ => Jwks,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            WriteError(new ErrorRecord(e, "JwksNotReadable", ErrorCategory.ReadError, target));
            return;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or FormatException || JsonErrors.IsJsonException(e))
        {
            WriteError(new ErrorRecord(e, "JwksNotFetched", ErrorCategory.ConnectionError, target));
            return;
        }
        if (!ShouldProcess($"{store} ({Issuer}, seen {seenAt:u})", "Record signing key set")) return;
        try
        {
            var record = new SigningKeyHistory(store).Save(Issuer, json, seenAt);
            WriteVerbose($"Recorded {record.KeyCount} key(s) for {Issuer} in {record.Path}.");
            WriteObject(record);
        }
        catch (Exception e) when (e is FormatException || JsonErrors.IsJsonException(e))
        {
            WriteError(new ErrorRecord(e, "JwksInvalid", ErrorCategory.InvalidData, target));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "KeyHistoryNotWritable", ErrorCategory.WriteError, store));
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
