using System.Management.Automation;
using CloudIdentity.Engine.Tokens;
using CloudIdentity.Engine.Tokens.Dpop;

namespace CloudIdentity.Commands.Tokens;

/// <summary>
/// <para type="synopsis">Checks a DPoP proof (RFC 9449 section 4.3) against the request it came with, remembering proof ids across runs to stop replays.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CloudIdDPoPProof", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DPoPProofReport), typeof(bool))]
public sealed class TestCloudIdDPoPProofCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("DPoP")]
    [AllowEmptyString]
    public string[] Proof { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Uri Uri { get; set; } = null!;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

    [Parameter] [ValidateNotNullOrEmpty] public string? Nonce { get; set; }
    /// <summary>Oldest accepted proof age (default 60 s).</summary>
    [Parameter] public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How far a proof's iat may be in the future (default 10 s).</summary>
    [Parameter] public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(10);
    [Parameter] [ValidateNotNullOrEmpty] public string[] Algorithm { get; set; } = [];
    [Parameter] public DateTime At { get; set; }
    /// <summary>SQLite replay store (default: CloudIdentity/dpop-replay.db under the user's local application data).</summary>
    [Parameter] [ValidateNotNullOrEmpty] public string ReplayStorePath { get; set; } = "";
    [Parameter] public SwitchParameter Quiet { get; set; }

    private SqliteReplayStore? _store;

    protected override void BeginProcessing()
    {
        var path = ReplayStorePath.Length > 0 ? GetUnresolvedProviderPathFromPSPath(ReplayStorePath) : SqliteReplayStore.DefaultPath;
        try
        {
            _store = new SqliteReplayStore(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ReplayStoreException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ReplayStoreUnavailable", ErrorCategory.OpenError, path));
        }
        WriteVerbose($"Replay store: {_store!.Path}.");
    }

    protected override void ProcessRecord()
    {
        var validator = new DPoPProofValidator(_store!);
        foreach (var proof in Proof)
        {
            var masked = TokenMask.Mask(proof);
            var record = ShouldProcess($"DPoP proof {masked}", "Record the proof id in the replay store");
            WriteVerbose($"Checking DPoP proof {masked} for {Method} {Uri.OriginalString}" + (AccessToken is null ? "." : $" with access token {TokenMask.Mask(AccessToken)}."));
            var report = validator.Validate(proof, new DPoPValidationOptions
            {
                Method = Method,
                Uri = Uri.OriginalString,
                AccessToken = AccessToken,
                Nonce = Nonce,
                MaxAge = MaxAge,
                FutureSkew = ClockSkew,
                Algorithms = Algorithm.Length > 0 ? Algorithm : null,
                At = MyInvocation.BoundParameters.ContainsKey(nameof(At)) ? TimeArguments.ToUtc(At) : null,
                RecordProof = record,
            });
            if (Quiet) WriteObject(report.IsValid);
            else WriteObject(report);
        }
    }

    protected override void EndProcessing() => _store?.Dispose();
}
