using System.Diagnostics;
using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Graph;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Entra;
using CloudIdentity.Tests.Support;

namespace CloudIdentity.Engine.Tests.Entra;

/// <summary>The Graph/ARM fetchers against a loopback server that speaks paging and throttling.</summary>
public sealed class FetchTests : IDisposable
{
    private const string Token = "test-token-not-a-secret";
    private readonly LoopbackGraphServer _server = new LoopbackGraphServer { ExpectedToken = Token }.Start();

    public void Dispose() => _server.Dispose();

    private static readonly FetchOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
        RequestTimeout = TimeSpan.FromMilliseconds(800),
        MaxRetryDuration = TimeSpan.FromSeconds(20),
    };

    private AzureConnection Connect() =>
        new(new StaticTokenSource(Token, DateTimeOffset.UtcNow.AddHours(1)), AzureCloud.Public with { GraphEndpoint = _server.BaseUri, ResourceManagerEndpoint = _server.BaseUri },
            "AccessToken", null, null);

    private static (List<CloudIdEvent> Events, List<ReadProblem> Problems, List<string> Notes) Drain(IAsyncEnumerable<ReadItem> items, CancellationToken ct = default)
    {
        var events = new List<CloudIdEvent>();
        var problems = new List<ReadProblem>();
        var notes = new List<string>();
        var e = items.GetAsyncEnumerator(ct);
        while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            if (e.Current.Event is { } ev) events.Add(ev);
            if (e.Current.Problem is { } p) problems.Add(p);
            if (e.Current.Note is { } n) notes.Add(n);
        }
        return (events, problems, notes);
    }

    private (List<CloudIdEvent>, List<ReadProblem>, List<string>) Fetch(AzureConnection c, string url, FetchStatistics stats, PagedCollectionClient? client = null, CancellationToken ct = default) =>
        Drain(CollectionReader.ReadEventsAsync(client ?? c.GraphClient(Fast), url, c.Cloud.GraphScope, "@odata.nextLink",
            NormalizerCatalog.Find(EntraSignInNormalizer.SourceName)!, stats, ct), ct);

    private static string SignIn(string id, string time = "2024-05-01T10:00:00Z") =>
        $$"""{"id":"{{id}}","createdDateTime":"{{time}}","userPrincipalName":"u@example.invalid","ipAddress":"198.51.100.1","status":{"errorCode":0},"isInteractive":true}""";

    private string Abs(string target) => _server.BaseUri.AbsoluteUri.TrimEnd('/') + target;

    // BR-09: follow nextLink verbatim; short and empty pages are not the end.
    [Fact]
    public void BR09_FollowsNextLinksVerbatimThroughShortAndEmptyPages()
    {
        const string p = "/v1.0/auditLogs/signIns";
        _server.SetRoute(p + "?$top=2", $$"""{"value":[{{SignIn("s1")}},{{SignIn("s2")}}],"@odata.nextLink":"{{Abs(p + "?$top=2&$skiptoken=AAA")}}"}""");
        _server.SetRoute(p + "?$top=2&$skiptoken=AAA", $$"""{"value":[{{SignIn("s3")}}],"@odata.nextLink":"{{Abs(p + "?$top=2&$skiptoken=BBB")}}"}""");
        _server.SetRoute(p + "?$top=2&$skiptoken=BBB", $$"""{"value":[],"@odata.nextLink":"{{Abs(p + "?$top=2&$skiptoken=CCC")}}"}""");
        _server.SetRoute(p + "?$top=2&$skiptoken=CCC", $$"""{"value":[{{SignIn("s4")}}]}""");
        using var c = Connect();
        var stats = new FetchStatistics();
        var (events, problems, _) = Fetch(c, Abs(p + "?$top=2"), stats);
        Assert.Empty(problems);
        Assert.Equal(["s1", "s2", "s3", "s4"], events.Select(e => e.EventId));
        var targets = _server.Requests.Select(r => r.Target).ToArray();
        Assert.Equal([p + "?$top=2", p + "?$top=2&$skiptoken=AAA", p + "?$top=2&$skiptoken=BBB", p + "?$top=2&$skiptoken=CCC"], targets);
        Assert.DoesNotContain(targets, t => t.Contains("$skip=", StringComparison.Ordinal));
        Assert.Equal(4, stats.Requests);
        Assert.False(stats.Partial);
        Assert.All(events, e => Assert.Equal("v1.0", e.ApiVersion));
    }

    [Fact]
    public void BR09_RepeatedNextLinkIsAPaginationLoopWithPartialResults()
    {
        const string p = "/v1.0/auditLogs/signIns";
        _server.SetRoute(p + "?$top=2", $$"""{"value":[{{SignIn("s1")}},{{SignIn("s2")}}],"@odata.nextLink":"{{Abs(p + "?$top=2&$skiptoken=AAA")}}"}""");
        _server.SetRoute(p + "?$top=2&$skiptoken=AAA", $$"""{"value":[{{SignIn("s3")}}],"@odata.nextLink":"{{Abs(p + "?$top=2&$skiptoken=BBB")}}"}""");
        _server.SetRoute(p + "?$top=2&$skiptoken=BBB", $$"""{"value":[],"@odata.nextLink":"{{Abs(p + "?$top=2&$skiptoken=BBB")}}"}""");
        using var c = Connect();
        var stats = new FetchStatistics();
        var (events, problems, _) = Fetch(c, Abs(p + "?$top=2"), stats);
        Assert.Equal(3, events.Count);
        var loop = Assert.Single(problems);
        Assert.Equal("PaginationLoop", loop.ErrorId);
        Assert.Contains("Pagination loop", loop.Message);
        Assert.Contains("partial", loop.Message);
        Assert.True(stats.Partial);
        Assert.Equal(3, _server.Requests.Length);
    }

    [Fact]
    public void RetriesEveryTransientFailureOnTheSamePageInOrder()
    {
        var records = Enumerable.Range(1, 30).Select(i => SignIn("r" + i)).ToList();
        _server.AddCollection("/beta/auditLogs/signIns", records, [10, 10, 10], "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns");
        _server.EnqueueFault(Fault.Status(429, "1", match: "skiptoken=p1"));
        _server.EnqueueFault(Fault.Status(503, DateTimeOffset.UtcNow.AddSeconds(3).ToString("r"), match: "skiptoken=p1"));
        _server.EnqueueFault(Fault.Drop(match: "skiptoken=p1"));
        _server.EnqueueFault(Fault.Reset(match: "skiptoken=p1"));
        _server.EnqueueFault(Fault.Delay(2500, match: "skiptoken=p1"));
        using var c = Connect();
        var stats = new FetchStatistics();
        var client = new PagedCollectionClient(c.Http, c.Tokens, null, Fast, TimeProvider.System);
        var sw = Stopwatch.StartNew();
        var (events, problems, notes) = Fetch(c, Abs("/beta/auditLogs/signIns?$top=10"), stats, client);
        Assert.True(problems.Count == 0, string.Join("; ", problems));
        Assert.Equal(30, events.Count);
        Assert.Equal(30, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 30).Select(i => "r" + i), events.Select(e => e.EventId));
        Assert.Equal(["200", "429", "503", "drop", "reset", "delay", "200", "200"], _server.Requests.Select(r => r.Response));
        // The client saw each failure in order. A reset before any response byte may be retried inside the HTTP
        // handler itself (the server log above still shows it), so the client's own log has 4 or 5 entries.
        Assert.StartsWith("HTTP 429 (Retry-After 1 s)", stats.RetryLog[0]);
        Assert.StartsWith("HTTP 503 (Retry-After", stats.RetryLog[1]);
        Assert.StartsWith("connection", stats.RetryLog[2]);
        Assert.StartsWith("no complete response", stats.RetryLog[^1]);
        Assert.InRange(stats.Retries, 4, 5);
        // Retry-After was honoured: 1 s after the 429, and until the HTTP date after the 503.
        var log = _server.Requests;
        Assert.True(log[2].Time - log[1].Time >= TimeSpan.FromMilliseconds(950), $"429 -> 503 after {(log[2].Time - log[1].Time).TotalMilliseconds} ms");
        Assert.True(log[3].Time - log[2].Time >= TimeSpan.FromMilliseconds(900), $"503 -> next after {(log[3].Time - log[2].Time).TotalMilliseconds} ms");
        Assert.Equal(stats.Retries, notes.Count(n => n.Contains("retrying page 2", StringComparison.Ordinal)));
        Assert.All(events, e => Assert.Equal("beta", e.ApiVersion));
    }

    [Fact]
    public void GivesUpWithAClearErrorWhenRetryAfterExceedsTheBound()
    {
        _server.AddCollection("/v1.0/auditLogs/signIns", [SignIn("a"), SignIn("b")], [1, 1]);
        _server.EnqueueFault(Fault.Status(429, "3600", match: "skiptoken=p1"));
        using var c = Connect();
        var stats = new FetchStatistics();
        var sw = Stopwatch.StartNew();
        var (events, problems, _) = Fetch(c, Abs("/v1.0/auditLogs/signIns"), stats);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Single(events);
        var p = Assert.Single(problems);
        Assert.Equal("FetchRetriesExhausted", p.ErrorId);
        Assert.Contains("asked to wait 3600 s", p.Message);
        Assert.True(stats.Partial);
    }

    [Fact]
    public void GivesUpAfterTheAttemptLimit()
    {
        _server.AddCollection("/v1.0/auditLogs/signIns", [SignIn("a")], [1]);
        for (int i = 0; i < 5; i++) _server.EnqueueFault(Fault.Status(503));
        using var c = Connect();
        var stats = new FetchStatistics();
        var client = new PagedCollectionClient(c.Http, c.Tokens, null, Fast with { MaxAttemptsPerPage = 3 }, TimeProvider.System);
        var (events, problems, _) = Fetch(c, Abs("/v1.0/auditLogs/signIns"), stats, client);
        Assert.Empty(events);
        Assert.Equal("FetchRetriesExhausted", Assert.Single(problems).ErrorId);
        Assert.Equal(["503", "503", "503"], _server.Requests.Select(r => r.Response));
    }

    [Fact]
    public void UnauthorizedIsNotRetried()
    {
        _server.AddCollection("/v1.0/auditLogs/signIns", [SignIn("a")], [1]);
        using var c = new AzureConnection(new StaticTokenSource("wrong", DateTimeOffset.UtcNow.AddHours(1)), AzureCloud.Public with { GraphEndpoint = _server.BaseUri }, "AccessToken", null, null);
        var (events, problems, _) = Fetch(c, Abs("/v1.0/auditLogs/signIns"), new FetchStatistics());
        Assert.Empty(events);
        var p = Assert.Single(problems);
        Assert.Equal("FetchUnauthorized", p.ErrorId);
        Assert.Contains("InvalidAuthenticationToken", p.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public void CancellationStopsPromptly()
    {
        _server.AddCollection("/v1.0/auditLogs/signIns", [SignIn("a")], [1]);
        _server.EnqueueFault(Fault.Delay(20000));
        using var c = Connect();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var client = new PagedCollectionClient(c.Http, c.Tokens, null, Fast with { RequestTimeout = TimeSpan.FromSeconds(60) }, TimeProvider.System);
        var sw = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Fetch(c, Abs("/v1.0/auditLogs/signIns"), new FetchStatistics(), client, cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
    }

    [Fact]
    public void GraphReportingThrottleIsRespectedWithoutIdlingMore()
    {
        // 7 pages through the real limit (5 requests per 10 s): requests 6 and 7 wait for the window, no longer.
        var records = Enumerable.Range(1, 7).Select(i => SignIn("t" + i)).ToList();
        _server.AddCollection("/v1.0/auditLogs/signIns", records, [1, 1, 1, 1, 1, 1, 1]);
        // The server stamps a request when its handler has read it; a cold server handler stamps the first request
        // late (JIT), which would shorten the measured gap to it. Warm the server with a request outside the fetch.
        using (var warm = new HttpClient()) warm.GetAsync(Abs("/warm-up")).GetAwaiter().GetResult().Dispose();
        _server.ClearLog();
        using var c = Connect();
        var stats = new FetchStatistics();
        var (events, problems, notes) = Fetch(c, Abs("/v1.0/auditLogs/signIns"), stats);
        Assert.Empty(problems);
        Assert.Equal(7, events.Count);
        var times = _server.Requests.Select(r => r.Time).ToArray();
        Assert.Equal(7, times.Length);
        for (int i = 5; i < times.Length; i++)
        {
            var gap = times[i] - times[i - 5];
            Assert.True(gap >= TimeSpan.FromSeconds(9.9), $"request {i + 1} came {gap.TotalSeconds:0.00} s after request {i - 4}");
            Assert.True(gap < TimeSpan.FromSeconds(11.5), $"request {i + 1} idled: {gap.TotalSeconds:0.00} s after request {i - 4}");
        }
        Assert.True(times[4] - times[0] < TimeSpan.FromSeconds(2), "the first five requests are not delayed");
        Assert.Contains(notes, n => n.StartsWith("Throttle: waiting", StringComparison.Ordinal));
    }

    [Fact]
    public void ThrottleBooksTheEarliestSlot()
    {
        var time = new ManualTime(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var t = new RequestThrottle(5, TimeSpan.FromSeconds(10), time);
        for (int i = 0; i < 5; i++) Assert.Equal(TimeSpan.Zero, t.Reserve());
        Assert.Equal(TimeSpan.FromSeconds(10), t.Reserve());     // 6th: when the 1st leaves the window
        time.Now += TimeSpan.FromSeconds(3);
        Assert.Equal(TimeSpan.FromSeconds(7), t.Reserve());      // 7th: when the 2nd leaves (t=10), 7 s from now
        time.Now += TimeSpan.FromSeconds(20);
        Assert.Equal(TimeSpan.Zero, t.Reserve());
    }

    [Fact]
    public void ThrottleCountsARequestFromWhenItWasSent()
    {
        // The first request of a fetch also gets a token and opens a connection: the server saw it 0.19 s after its
        // slot, and the 6th request, timed from the slot, arrived 9.81 s after it (a flaky 429 against real Graph).
        var time = new ManualTime(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var t = new RequestThrottle(5, TimeSpan.FromSeconds(10), time);
        Assert.Equal(TimeSpan.Zero, t.Reserve(out var first));
        time.Now += TimeSpan.FromSeconds(0.5);
        t.Dispatched(first);
        for (int i = 0; i < 4; i++) Assert.Equal(TimeSpan.Zero, t.Reserve());
        Assert.Equal(TimeSpan.FromSeconds(10), t.Reserve());     // 10 s after the 1st was sent (t=0.5), not booked (t=0)
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory]
    [InlineData("12", 12.0)]
    [InlineData("0", 0.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("Wed, 01 May 2024 10:00:30 GMT", 30.0)]
    [InlineData("Wed, 01 May 2024 09:59:00 GMT", 0.0)]
    public void RetryAfterIsSecondsOrAnHttpDate(string header, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(header, new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero)));

    [CorpusFact]
    public void PagesBuiltFromRealSamplesAndGeneratedDataAreReadExactly()
    {
        using var beta = JsonDocument.Parse(File.ReadAllText(Corpus.Path("entra/graph/beta_signIns_list_example1.json")));
        var real = beta.RootElement.GetProperty("value").EnumerateArray().Select(v => v.GetRawText()).ToList();
        var generated = Enumerable.Range(1, 2499).Select(i => SignIn($"g{i:D5}", $"2024-05-01T10:{i / 60 % 60:D2}:{i % 60:D2}.{i:D7}Z"));
        var all = real.Concat(generated).ToList();
        _server.AddCollection("/beta/auditLogs/signIns", all, [1000, 0, 7, 1000, 0, 493], "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns");
        using var c = Connect();
        var stats = new FetchStatistics();
        var (events, problems, _) = Fetch(c, CollectionQueries.SignIns(_server.BaseUri, "nonInteractive", new LogQuery()), stats,
            new PagedCollectionClient(c.Http, c.Tokens, null, Fast, TimeProvider.System));
        Assert.Empty(problems);
        Assert.Equal(2500, events.Count);
        Assert.Equal(2500, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal("1691d37b-8579-43a7-966a-0f35583c1300", events[0].EventId);
        Assert.Equal(6, stats.Pages);
        Assert.Equal(2500, stats.Records);
    }

    [CorpusFact]
    public void ActivityLogIsReadFromArmWithNextLink()
    {
        var rest = File.ReadAllText(Corpus.Path("azure-activity/msdocs/administrative_rest_api_sample.json"));
        var records = Enumerable.Repeat(rest, 3).ToList();
        const string path = "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Insights/eventtypes/management/values";
        _server.AddCollection(path, records, [2, 0, 1], nextLinkProperty: "nextLink");
        using var c = Connect();
        var url = CollectionQueries.ActivityLog(_server.BaseUri, "00000000-0000-0000-0000-0000000000aa",
            new DateTimeOffset(2018, 1, 29, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 1, 30, 0, 0, 0, TimeSpan.Zero), new LogQuery());
        var stats = new FetchStatistics();
        var (events, problems, _) = Drain(CollectionReader.ReadEventsAsync(c.ResourceManagerClient(Fast), url, c.Cloud.ResourceManagerScope, "nextLink",
            NormalizerCatalog.Find("AzureActivity")!, stats));
        Assert.Empty(problems);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal("microsoft.network/networksecuritygroups/write", e.Operation));
        Assert.Equal(3, _server.Requests.Length);
        Assert.Contains("api-version=2015-04-01", _server.Requests[0].Target);
        Assert.Contains("eventTimestamp%20ge%20%272018-01-29T00%3A00%3A00Z%27", _server.Requests[0].Target);
    }

    [Fact]
    public void QueriesUseBetaForNonInteractiveAndQuoteLiterals()
    {
        var graph = new Uri("https://graph.microsoft.com/");
        var q = new LogQuery { StartTime = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), UserPrincipalName = "o'brien@example.invalid", AppId = "app1" };
        var ni = Uri.UnescapeDataString(CollectionQueries.SignIns(graph, "nonInteractive", q));
        Assert.Equal("https://graph.microsoft.com/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'nonInteractiveUser') and createdDateTime ge 2024-05-01T00:00:00Z and userPrincipalName eq 'o''brien@example.invalid' and appId eq 'app1'", ni);
        var i = Uri.UnescapeDataString(CollectionQueries.SignIns(graph, "interactive", new LogQuery { PageSize = 500 }));
        Assert.Equal("https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=500", i);
        var a = Uri.UnescapeDataString(CollectionQueries.DirectoryAudits(graph, new LogQuery { Filter = "category eq 'RoleManagement'" }));
        Assert.Equal("https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$filter=(category eq 'RoleManagement')", a);
    }
}
