using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>A real HTTP OpenID issuer on 127.0.0.1 (discovery + JWKS) whose keys and health the test changes.</summary>
internal sealed class LoopbackIssuer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _jwksRequests;

    public LoopbackIssuer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Prefixes.Add($"http://localhost:{Port}/");
        _listener.Start();
        JwksHost = $"127.0.0.1:{Port}";
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Issuer => $"http://127.0.0.1:{Port}";
    public Uri DiscoveryUri => new($"{Issuer}/.well-known/openid-configuration");
    public string Jwks { get; set; } = "{\"keys\":[]}";
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;
    /// <summary>Host (and port) the discovery document puts in jwks_uri.</summary>
    public string JwksHost { get; set; }
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            var path = ctx.Request.Url!.AbsolutePath;
            string body;
            if (Status != HttpStatusCode.OK) { ctx.Response.StatusCode = (int)Status; body = "unavailable"; }
            else if (path == "/.well-known/openid-configuration") body = $"{{\"issuer\":\"{Issuer}\",\"jwks_uri\":\"http://{JwksHost}/keys\"}}";
            else if (path == "/keys") { Interlocked.Increment(ref _jwksRequests); body = Jwks; }
            else { ctx.Response.StatusCode = 404; body = "not found"; }
            if (path == "/keys" && Status != HttpStatusCode.OK) Interlocked.Increment(ref _jwksRequests);
            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
