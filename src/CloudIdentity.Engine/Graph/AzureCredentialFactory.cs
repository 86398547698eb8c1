using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;

namespace CloudIdentity.Engine.Graph;

public enum AzureSignInMethod { ManagedIdentity, ClientSecret, CertificateThumbprint, CertificateFile, DeviceCode, AccessToken }

/// <summary>What <c>Connect-CloudIdAzure</c> was given. Secrets are held only until the credential is built.</summary>
public sealed record AzureConnectOptions
{
    public AzureSignInMethod Method { get; init; }
    public AzureCloud Cloud { get; init; } = AzureCloud.Public;
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? CertificateThumbprint { get; init; }
    public string? CertificatePath { get; init; }
    public string? CertificatePassword { get; init; }
    /// <summary>Receives the device-code prompt (may be called on another thread).</summary>
    public Action<string>? DeviceCodePrompt { get; init; }
}

/// <summary>Builds the Azure.Identity credential for a sign-in method.</summary>
public static class AzureCredentialFactory
{
    /// <summary>The public client used for device-code sign-in when no -ClientId is given (Microsoft Graph PowerShell).</summary>
    public const string DefaultPublicClientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

    public static TokenCredential Create(AzureConnectOptions o)
    {
        switch (o.Method)
        {
            case AzureSignInMethod.ManagedIdentity:
                return new ManagedIdentityCredential(o.ClientId is null
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(o.ClientId));
            case AzureSignInMethod.ClientSecret:
                return new ClientSecretCredential(Required(o.TenantId, "TenantId"), Required(o.ClientId, "ClientId"), Required(o.ClientSecret, "ClientSecret"),
                    new ClientSecretCredentialOptions { AuthorityHost = o.Cloud.Authority });
            case AzureSignInMethod.CertificateThumbprint:
                return new ClientCertificateCredential(Required(o.TenantId, "TenantId"), Required(o.ClientId, "ClientId"), FindByThumbprint(Required(o.CertificateThumbprint, "CertificateThumbprint")),
                    new ClientCertificateCredentialOptions { AuthorityHost = o.Cloud.Authority });
            case AzureSignInMethod.CertificateFile:
#pragma warning disable SYSLIB0057 // net8.0 target: X509CertificateLoader is .NET 9+
                var cert = new X509Certificate2(Required(o.CertificatePath, "CertificatePath"), o.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
#pragma warning restore SYSLIB0057
                if (!cert.HasPrivateKey) throw new ArgumentException($"The certificate file '{o.CertificatePath}' holds no private key.");
                return new ClientCertificateCredential(Required(o.TenantId, "TenantId"), Required(o.ClientId, "ClientId"), cert,
                    new ClientCertificateCredentialOptions { AuthorityHost = o.Cloud.Authority });
            case AzureSignInMethod.DeviceCode:
                return new DeviceCodeCredential(new DeviceCodeCredentialOptions
                {
                    TenantId = o.TenantId,
                    ClientId = o.ClientId ?? DefaultPublicClientId,
                    AuthorityHost = o.Cloud.Authority,
                    DeviceCodeCallback = (info, _) => { o.DeviceCodePrompt?.Invoke(info.Message); return Task.CompletedTask; },
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(o), o.Method, "This method does not build a credential.");
        }
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException($"-{name} is required for this sign-in method.") : value;

    private static X509Certificate2 FindByThumbprint(string thumbprint)
    {
        thumbprint = thumbprint.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                foreach (var c in found)
                {
                    if (c.HasPrivateKey) return c;
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // The store does not exist on this platform/user: try the next one.
            }
        }
        throw new ArgumentException($"No certificate with a private key and thumbprint {thumbprint} in the CurrentUser or LocalMachine 'My' store.");
    }
}
