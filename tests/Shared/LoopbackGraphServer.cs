// A loopback HTTP/1.1 server that speaks Microsoft Graph's and ARM's paging and throttling, for the tests of the
// Entra/Azure fetchers. It is compiled into the xunit project and loaded by the Pester tests with Add-Type, so both
// test suites talk to the same peer. It listens on 127.0.0.1 only. Behaviour is data, not callbacks: pages are
// registered by path and query, faults are queued, and every request is logged with its time.
#nullable disable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudIdentity.Tests.Support
{
    public enum FaultKind { Status, Delay, Drop, Reset }

    /// <summary>One injected fault: a status with an optional Retry-After, a delayed answer, a body cut short, a reset.</summary>
    public sealed class Fault
    {
        public FaultKind Kind { get; set; }
        public int StatusCode { get; set; }
        public string RetryAfter { get; set; }
        public int DelayMilliseconds { get; set; }
        /// <summary>Only requests whose path and query contain this text take the fault (null: any).</summary>
        public string Match { get; set; }

        public static Fault Status(int code, string retryAfter = null, string match = null) => new Fault { Kind = FaultKind.Status, StatusCode = code, RetryAfter = retryAfter, Match = match };
        public static Fault Delay(int milliseconds, string match = null) => new Fault { Kind = FaultKind.Delay, DelayMilliseconds = milliseconds, Match = match };
        public static Fault Drop(string match = null) => new Fault { Kind = FaultKind.Drop, Match = match };
        public static Fault Reset(string match = null) => new Fault { Kind = FaultKind.Reset, Match = match };
    }

    /// <summary>A request as the server saw it.</summary>
    public sealed class LoggedRequest
    {
        public DateTimeOffset Time { get; set; }
        public string Method { get; set; }
        public string Target { get; set; }
        public bool HasBearer { get; set; }
        /// <summary>What the server did: "200", "429", "503", "delay", "drop", "reset", "404".</summary>
        public string Response { get; set; }
        public override string ToString() => Response + " " + Target;
    }

    public sealed class LoopbackGraphServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly ConcurrentDictionary<string, string> _routes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private readonly List<Fault> _faults = new List<Fault>();
        private readonly List<LoggedRequest> _log = new List<LoggedRequest>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task _accept;

        public Uri BaseUri { get; private set; }
        public string ExpectedToken { get; set; }

        public LoopbackGraphServer Start()
        {
            _listener.Start();
            BaseUri = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
            _accept = Task.Run(AcceptLoop);
            return this;
        }

        /// <summary>Serves a body for an exact request target (path and query as sent), or for a path with any query.</summary>
        public void SetRoute(string target, string body) => _routes[target] = body;

        public void EnqueueFault(Fault fault) { lock (_faults) _faults.Add(fault); }

        public LoggedRequest[] Requests { get { lock (_log) return _log.ToArray(); } }

        public void ClearLog() { lock (_log) _log.Clear(); }

        /// <summary>
        /// Registers a paged collection at <paramref name="path"/>: the first page answers the path with any query; later
        /// pages answer <c>path?$skiptoken=pN</c>. Page sizes may be short or zero; the last page has no next link.
        /// Returns the absolute next links in order.
        /// </summary>
        public string[] AddCollection(string path, IList<string> recordJson, int[] pageSizes, string context = null, string nextLinkProperty = "@odata.nextLink")
        {
            var links = new List<string>();
            int offset = 0;
            for (int p = 0; p < pageSizes.Length; p++)
            {
                var take = Math.Min(pageSizes[p], recordJson.Count - offset);
                var items = string.Join(",", recordJson.Skip(offset).Take(take));
                offset += take;
                var last = p == pageSizes.Length - 1;
                var next = last ? null : BaseUri.AbsoluteUri.TrimEnd('/') + path + "?$skiptoken=p" + (p + 1);
                var body = new StringBuilder("{");
                if (context != null) body.Append("\"@odata.context\":\"").Append(context).Append("\",");
                body.Append("\"value\":[").Append(items).Append(']');
                if (next != null) body.Append(",\"").Append(nextLinkProperty).Append("\":\"").Append(next).Append('"');
                body.Append('}');
                SetRoute(p == 0 ? path : path + "?$skiptoken=p" + p, body.ToString());
                if (next != null) links.Add(next);
            }
            if (offset != recordJson.Count) throw new ArgumentException("The page sizes do not cover all records.");
            return links.ToArray();
        }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                _ = Task.Run(() => Handle(client));
            }
        }

        private Fault TakeFault(string target)
        {
            lock (_faults)
            {
                for (int i = 0; i < _faults.Count; i++)
                {
                    if (_faults[i].Match == null || target.Contains(_faults[i].Match))
                    {
                        var f = _faults[i];
                        _faults.RemoveAt(i);
                        return f;
                    }
                }
            }
            return null;
        }

        private async Task Handle(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var head = await ReadHead(stream).ConfigureAwait(false);
                    if (head == null) return;
                    var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
                    var parts = lines[0].Split(' ');
                    var entry = new LoggedRequest
                    {
                        Time = DateTimeOffset.UtcNow,
                        Method = parts[0],
                        Target = parts.Length > 1 ? parts[1] : "",
                        HasBearer = lines.Any(l => l.StartsWith("Authorization: Bearer ", StringComparison.OrdinalIgnoreCase)
                            && (ExpectedToken == null || l.Substring("Authorization: Bearer ".Length) == ExpectedToken)),
                    };
                    lock (_log) _log.Add(entry);
                    var fault = TakeFault(entry.Target);
                    if (fault != null && fault.Kind == FaultKind.Reset)
                    {
                        entry.Response = "reset";
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                    if (fault != null && fault.Kind == FaultKind.Status)
                    {
                        entry.Response = fault.StatusCode.ToString();
                        var headers = fault.RetryAfter != null ? "Retry-After: " + fault.RetryAfter + "\r\n" : "";
                        await Write(stream, fault.StatusCode, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"injected\"}}", headers).ConfigureAwait(false);
                        return;
                    }
                    if (fault != null && fault.Kind == FaultKind.Delay)
                    {
                        entry.Response = "delay";
                        await Task.Delay(fault.DelayMilliseconds).ConfigureAwait(false);
                    }
                    if (!entry.HasBearer)
                    {
                        entry.Response = "401";
                        await Write(stream, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty or wrong.\"}}", "").ConfigureAwait(false);
                        return;
                    }
                    string body;
                    if (!_routes.TryGetValue(entry.Target, out body))
                    {
                        var q = entry.Target.IndexOf('?');
                        var path = q < 0 ? entry.Target : entry.Target.Substring(0, q);
                        var query = q < 0 ? "" : entry.Target.Substring(q);
                        if (query.Contains("skiptoken") || !_routes.TryGetValue(path, out body)) body = null;
                    }
                    if (body == null)
                    {
                        entry.Response = entry.Response ?? "404";
                        await Write(stream, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no route\"}}", "").ConfigureAwait(false);
                        return;
                    }
                    if (fault != null && fault.Kind == FaultKind.Drop)
                    {
                        entry.Response = "drop";
                        var bytes = Encoding.UTF8.GetBytes(body);
                        var headBytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.Length + "\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(headBytes, 0, headBytes.Length).ConfigureAwait(false);
                        await stream.WriteAsync(bytes, 0, bytes.Length / 2).ConfigureAwait(false);
                        await stream.FlushAsync().ConfigureAwait(false);
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                    entry.Response = entry.Response == "delay" ? "delay" : "200";
                    await Write(stream, 200, body, "").ConfigureAwait(false);
                }
                catch (IOException) { }
                catch (SocketException) { }
                catch (ObjectDisposedException) { }
            }
        }

        private static async Task<string> ReadHead(NetworkStream stream)
        {
            var buffer = new byte[16384];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer, total, buffer.Length - total).ConfigureAwait(false);
                if (n == 0) return null;
                total += n;
                var text = Encoding.ASCII.GetString(buffer, 0, total);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0) return text.Substring(0, end);
            }
            return null;
        }

        private static async Task Write(NetworkStream stream, int status, string body, string extraHeaders)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var reason = status == 200 ? "OK" : status == 429 ? "Too Many Requests" : status == 503 ? "Service Unavailable" : status == 401 ? "Unauthorized" : status == 404 ? "Not Found" : "Error";
            var head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.Length + "\r\n" + extraHeaders + "Connection: close\r\n\r\n";
            var headBytes = Encoding.ASCII.GetBytes(head);
            await stream.WriteAsync(headBytes, 0, headBytes.Length).ConfigureAwait(false);
            await stream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _listener.Stop(); } catch (SocketException) { }
        }
    }
}
