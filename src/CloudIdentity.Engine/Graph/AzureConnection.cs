using System.Net;

namespace CloudIdentity.Engine.Graph;

/// <summary>
/// A signed-in connection to one tenant in one Microsoft cloud: how tokens are obtained, where Graph and ARM answer,
/// one HTTP client and the Graph reporting throttle shared by every fetch made through it. Holds no token text.
/// </summary>
public sealed class AzureConnection : IDisposable
{
    public AzureConnection(IAccessTokenSource tokens, AzureCloud cloud, string method, string? tenantId, string? clientId,
        TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        Tokens = tokens;
        Cloud = cloud;
        Method = method;
        TenantId = tenantId;
        ClientId = clientId;
        Time = time ?? TimeProvider.System;
        Http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        Http.DefaultRequestHeaders.UserAgent.ParseAdd("CloudIdentity/0.1");
        GraphThrottle = RequestThrottle.GraphReporting(Time);
    }

    public IAccessTokenSource Tokens { get; }
    public AzureCloud Cloud { get; }
    /// <summary>How the connection signs in: ManagedIdentity, ClientSecret, Certificate, DeviceCode, AccessToken.</summary>
    public string Method { get; }
    public string? TenantId { get; }
    public string? ClientId { get; }
    public TimeProvider Time { get; }
    public HttpClient Http { get; }
    /// <summary>Graph's reporting limit (5 requests per 10 s per app per tenant), shared by all fetches of this connection.</summary>
    public RequestThrottle GraphThrottle { get; }
    public DateTimeOffset ConnectedAt { get; init; } = DateTimeOffset.UtcNow;

    public PagedCollectionClient GraphClient(FetchOptions options) => new(Http, Tokens, GraphThrottle, options, Time);

    public PagedCollectionClient ResourceManagerClient(FetchOptions options) => new(Http, Tokens, null, options, Time);

    public void Dispose() => Http.Dispose();
}
