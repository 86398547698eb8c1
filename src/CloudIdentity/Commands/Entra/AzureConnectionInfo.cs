using CloudIdentity.Engine.Graph;

namespace CloudIdentity.Commands.Entra;

/// <summary>What <c>Connect-CloudIdAzure</c> reports about the session's connection. It never holds a token or secret.</summary>
public sealed class AzureConnectionInfo
{
    internal AzureConnectionInfo(AzureConnection c, string? account, DateTimeOffset? tokenExpiresOn)
    {
        Environment = c.Cloud.Name;
        Method = c.Method;
        TenantId = c.TenantId;
        ClientId = c.ClientId;
        Account = account;
        GraphEndpoint = c.Cloud.GraphEndpoint;
        ResourceManagerEndpoint = c.Cloud.ResourceManagerEndpoint;
        TokenExpiresOn = tokenExpiresOn;
        ConnectedAt = c.ConnectedAt;
    }

    public string Environment { get; }
    public string Method { get; }
    public string? TenantId { get; }
    public string? ClientId { get; }
    public string? Account { get; }
    public Uri GraphEndpoint { get; }
    public Uri ResourceManagerEndpoint { get; }
    public DateTimeOffset? TokenExpiresOn { get; }
    public DateTimeOffset ConnectedAt { get; }
}
