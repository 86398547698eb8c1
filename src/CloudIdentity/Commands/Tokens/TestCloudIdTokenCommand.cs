using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using CloudIdentity.Engine.Tokens;

namespace CloudIdentity.Commands.Tokens;

/// <summary>
/// <para type="synopsis">Validates a JWT (signature, algorithm, issuer, audience, lifetime, headers) and reports every check and forged-token indicator.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CloudIdToken", DefaultParameterSetName = IssuerSet)]
[OutputType(typeof(TokenValidationReport), typeof(bool))]
public sealed class TestCloudIdTokenCommand : PSCmdlet
{
    private const string IssuerSet = "Issuer";
    private const string DiscoverySet = "Discovery";
    private const string JwksPathSet = "JwksPath";
    private const string JwksSet = "Jwks";
    private const string KeySet = "Key";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("AccessToken", "IdToken")]
    [AllowEmptyString]
    public string[] Token { get; set; } = [];

    /// <summary>Accepted issuer(s), exact; may be a {tenantid} template. Alone, the first one is also where keys are discovered.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IssuerSet)]
    [Parameter(ParameterSetName = DiscoverySet)]
    [Parameter(ParameterSetName = JwksPathSet)]
    [Parameter(ParameterSetName = JwksSet)]
    [Parameter(ParameterSetName = KeySet)]
    [ValidateNotNullOrEmpty]
    public string[] Issuer { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = DiscoverySet)]
    public Uri DiscoveryUri { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = JwksPathSet)]
    [ValidateNotNullOrEmpty]
    public string JwksPath { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = JwksSet)]
    [ValidateNotNullOrEmpty]
    public string Jwks { get; set; } = "";

    /// <summary>Verification key(s): X509Certificate2, PEM public key, JWK/JWKS JSON, or byte[] HMAC secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeySet)]
    [ValidateNotNullOrEmpty]
    public object[] Key { get; set; } = [];

    [Parameter] [ValidateNotNullOrEmpty] public string[] Audience { get; set; } = [];
    /// <summary>Tenants accepted by a {tenantid} issuer template; '*' for any tenant.</summary>
    [Parameter] [ValidateNotNullOrEmpty] public string[] TenantId { get; set; } = [];
    [Parameter] [ValidateNotNullOrEmpty] public string[] Algorithm { get; set; } = [];
    [Parameter] public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
    [Parameter] [ValidateNotNullOrEmpty] public string[] RequiredClaim { get; set; } = [];
    [Parameter] public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);
    [Parameter] public DateTime At { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string[] AllowedCriticalHeader { get; set; } = [];
    [Parameter] [ValidateNotNullOrEmpty] public string[] TokenType { get; set; } = [];
    /// <summary>Roots an x5c chain must chain to; without them x5c is never trusted.</summary>
    [Parameter] [ValidateNotNullOrEmpty] public X509Certificate2[] TrustedRoot { get; set; } = [];
    [Parameter] [ValidateNotNullOrEmpty] public string KeyHistoryPath { get; set; } = "";
    [Parameter(ParameterSetName = IssuerSet)]
    [Parameter(ParameterSetName = DiscoverySet)]
    [ValidateNotNullOrEmpty]
    public string[] AllowedJwksHost { get; set; } = [];
    [Parameter] public SwitchParameter Quiet { get; set; }

    private readonly CancellationTokenSource _cancel = new();
    private TokenValidator _validator = null!;
    private bool _verbose;

    protected override void BeginProcessing()
    {
        ISigningKeySource source;
        var issuers = Issuer;
        try
        {
            source = BuildKeySource(ref issuers);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException || JsonErrors.IsJsonException(e))
        {
            ThrowTerminatingError(new ErrorRecord(e, "KeySourceInvalid", ErrorCategory.InvalidArgument, ParameterSetName));
            return;
        }
        var historyPath = KeyHistoryPath.Length > 0 ? GetUnresolvedProviderPathFromPSPath(KeyHistoryPath) : SigningKeyHistory.DefaultStorePath;
        _validator = new TokenValidator(source, new TokenValidationOptions
        {
            Issuers = issuers,
            Audiences = Audience,
            TenantIds = TenantId,
            Algorithms = Algorithm.Length > 0 ? Algorithm : null,
            ClockSkew = ClockSkew,
            RequiredClaims = RequiredClaim,
            MaxLifetime = MaxLifetime,
            At = MyInvocation.BoundParameters.ContainsKey(nameof(At)) ? TimeArguments.ToUtc(At) : null,
            AllowedCriticalHeaders = AllowedCriticalHeader,
            TokenTypes = TokenType.Length > 0 ? TokenType : null,
            TrustedRoots = TrustedRoot.Length > 0 ? new X509Certificate2Collection(TrustedRoot) : null,
            KeyHistory = Directory.Exists(historyPath) ? new SigningKeyHistory(historyPath) : null,
        });
        _verbose = MyInvocation.BoundParameters.TryGetValue("Verbose", out var v) ? ((SwitchParameter)v).IsPresent
            : GetVariableValue("VerbosePreference") is ActionPreference p && p != ActionPreference.SilentlyContinue;
        WriteVerbose($"Keys from {source.Description}; issuers: {(issuers.Length == 0 ? "(not checked)" : string.Join(", ", issuers))}; audiences: {(Audience.Length == 0 ? "(not checked)" : string.Join(", ", Audience))}.");
    }

    private ISigningKeySource BuildKeySource(ref string[] issuers)
    {
        switch (ParameterSetName)
        {
            case JwksPathSet:
                var path = GetUnresolvedProviderPathFromPSPath(JwksPath);
                return new StaticKeySource(SigningKeySet.Parse(File.ReadAllText(path), $"JWKS file {path}"));
            case JwksSet:
                return new StaticKeySource(SigningKeySet.Parse(Jwks, "-Jwks"));
            case KeySet:
                return new StaticKeySource(KeyMaterial.ToKeySet(Key.Select(k => k is PSObject p ? p.BaseObject : k)));
        }
        var discovery = ParameterSetName == DiscoverySet ? DiscoveryUri : OidcKeySource.DiscoveryUriFor(Issuer[0]);
        var oidc = OidcKeySource.GetShared(discovery, AllowedJwksHost);
        if (issuers.Length == 0)
        {
            try
            {
                oidc.GetKeysAsync(KeyRefresh.None, _cancel.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (KeySourceUnavailableException e)
            {
                WriteWarning(e.Message);
            }
            if (oidc.Issuer is not null) issuers = [oidc.Issuer];
        }
        return oidc;
    }

    protected override void ProcessRecord()
    {
        foreach (var token in Token)
        {
            if (_verbose) WriteVerbose($"Validating token {TokenMask.Mask(token)}.");
            var report = _validator.Validate(token, _cancel.Token);
            if (Quiet) WriteObject(report.IsValid);
            else WriteObject(report);
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
