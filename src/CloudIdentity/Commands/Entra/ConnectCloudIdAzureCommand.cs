using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using CloudIdentity.Engine.Graph;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// <para type="synopsis">Signs in to Microsoft Entra ID for the Entra and Azure log cmdlets; the connection lives in the session.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "CloudIdAzure", DefaultParameterSetName = DeviceCodeSet)]
[OutputType(typeof(AzureConnectionInfo))]
public sealed class ConnectCloudIdAzureCommand : PSCmdlet
{
    private const string IdentitySet = "ManagedIdentity";
    private const string SecretSet = "ClientSecret";
    private const string ThumbprintSet = "CertificateThumbprint";
    private const string CertificateFileSet = "CertificateFile";
    private const string DeviceCodeSet = "DeviceCode";
    private const string AccessTokenSet = "AccessToken";

    [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
    [Alias("ManagedIdentity")]
    public SwitchParameter Identity { get; set; }

    [Parameter(ParameterSetName = DeviceCodeSet)]
    public SwitchParameter DeviceCode { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    public SecureString? AccessToken { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateFileSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = AccessTokenSet)]
    [Alias("Tenant")]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    /// <summary>The app (client) id; with -Identity, the client id of a user-assigned managed identity.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateFileSet)]
    [Parameter(ParameterSetName = IdentitySet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Alias("ApplicationId", "AppId")]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
    public SecureString? ClientSecret { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificateThumbprint { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CertificateFileSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    [Parameter(ParameterSetName = CertificateFileSet)]
    public SecureString? CertificatePassword { get; set; }

    [Parameter]
    [ValidateSet("AzureCloud", "AzureUSGovernment", "AzureUSGovernmentDoD", "AzureChinaCloud")]
    public string Environment { get; set; } = "AzureCloud";

    /// <summary>Overrides where Microsoft Graph is called (a proxy or a test server); token audiences stay the cloud's.</summary>
    [Parameter]
    public Uri? GraphEndpoint { get; set; }

    /// <summary>Overrides where Azure Resource Manager is called.</summary>
    [Parameter]
    public Uri? ResourceManagerEndpoint { get; set; }

    private readonly CancellationTokenSource _cancel = new();

    protected override void EndProcessing()
    {
        var cloud = AzureCloud.Find(Environment)!;
        if (GraphEndpoint is not null) cloud = cloud with { GraphEndpoint = WithSlash(GraphEndpoint) };
        if (ResourceManagerEndpoint is not null) cloud = cloud with { ResourceManagerEndpoint = WithSlash(ResourceManagerEndpoint) };

        if (ParameterSetName == AccessTokenSet)
        {
            var result = AzureSignIn.FromAccessToken(SecretMask.Reveal(AccessToken) ?? "", cloud, TenantId);
            if (result.ExpiresOn is { } exp && exp <= DateTimeOffset.UtcNow)
                WriteWarning($"The access token expired at {exp:u}; requests will fail until you connect with a new one.");
            AzureSession.Set(result.Connection);
            WriteVerbose($"Connected with an access token (tenant {result.Connection.TenantId ?? "unknown"}, audience {result.Token.Audience ?? "unknown"}) to {cloud.Name}.");
            WriteObject(new AzureConnectionInfo(result.Connection, result.Token.Subject, result.ExpiresOn));
            return;
        }

        var prompts = new BlockingCollection<string>();
        var options = new AzureConnectOptions
        {
            Method = ParameterSetName switch
            {
                IdentitySet => AzureSignInMethod.ManagedIdentity,
                SecretSet => AzureSignInMethod.ClientSecret,
                ThumbprintSet => AzureSignInMethod.CertificateThumbprint,
                CertificateFileSet => AzureSignInMethod.CertificateFile,
                _ => AzureSignInMethod.DeviceCode,
            },
            Cloud = cloud,
            TenantId = TenantId,
            ClientId = ClientId,
            ClientSecret = SecretMask.Reveal(ClientSecret),
            CertificateThumbprint = CertificateThumbprint,
            CertificatePath = CertificatePath is null ? null : GetUnresolvedProviderPathFromPSPath(CertificatePath),
            CertificatePassword = SecretMask.Reveal(CertificatePassword),
            DeviceCodePrompt = prompts.Add,
        };
        WriteVerbose($"Signing in with {options.Method} to {cloud.Name} ({cloud.Authority}).");
        var task = AzureSignIn.ConnectAsync(options, _cancel.Token);
        // Device-code prompts arrive on another thread; they are written here, on the pipeline thread.
        while (!task.IsCompleted)
        {
            if (prompts.TryTake(out var prompt, 200)) WriteWarning(prompt);
        }
        while (prompts.TryTake(out var late)) WriteWarning(late);
        try
        {
            var result = task.GetAwaiter().GetResult();
            AzureSession.Set(result.Connection);
            WriteVerbose($"Connected to {cloud.Name} tenant {result.Connection.TenantId ?? "(unknown)"} with {options.Method}.");
            WriteObject(new AzureConnectionInfo(result.Connection, result.Token.Subject, result.ExpiresOn));
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (AzureSignInException e)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(e.Message),
                e.InvalidArgument ? "AzureSignInInvalidArgument" : "AzureSignInFailed",
                e.InvalidArgument ? ErrorCategory.InvalidArgument : ErrorCategory.AuthenticationError, options.Method.ToString()));
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();

    private static Uri WithSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
}
