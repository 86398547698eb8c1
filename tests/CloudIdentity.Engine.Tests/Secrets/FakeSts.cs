using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudIdentity.Engine.Tests.Secrets;

/// <summary>
/// A loopback STS endpoint speaking the AWS query protocol: GetCallerIdentity answers with the real XML shapes,
/// 200 for the one known access key id and a 403 InvalidClientTokenId error otherwise.
/// </summary>
internal sealed class FakeSts : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    public string ValidKeyId { get; }
    public Uri Endpoint { get; }
    public List<string> Requests { get; } = [];

    public FakeSts(string validKeyId)
    {
        ValidKeyId = validKeyId;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            var body = await new StreamReader(ctx.Request.InputStream).ReadToEndAsync();
            var auth = ctx.Request.Headers["Authorization"] ?? "";
            lock (Requests) Requests.Add(body);
            string xml;
            if (!body.Contains("Action=GetCallerIdentity", StringComparison.Ordinal))
            {
                ctx.Response.StatusCode = 400;
                xml = Error("InvalidAction", "Could not find operation");
            }
            else if (auth.Contains("Credential=" + ValidKeyId + "/", StringComparison.Ordinal))
            {
                ctx.Response.StatusCode = 200;
                xml = """
                    <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <GetCallerIdentityResult>
                        <Arn>arn:aws:iam::123456789012:user/leaked-ci-user</Arn>
                        <UserId>AIDAQWERTYUIOPASDFGHJ</UserId>
                        <Account>123456789012</Account>
                      </GetCallerIdentityResult>
                      <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
                    </GetCallerIdentityResponse>
                    """;
            }
            else
            {
                ctx.Response.StatusCode = 403;
                xml = Error("InvalidClientTokenId", "The security token included in the request is invalid.");
            }
            var bytes = Encoding.UTF8.GetBytes(xml);
            ctx.Response.ContentType = "text/xml";
            ctx.Response.Headers["x-amzn-RequestId"] = "01234567-89ab-cdef-0123-456789abcdef";
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    private static string Error(string code, string message) => $"""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
          <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
        </ErrorResponse>
        """;

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
