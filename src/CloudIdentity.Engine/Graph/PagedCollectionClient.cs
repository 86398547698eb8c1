using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Graph;

/// <summary>One page of a collection, or a note, or the problem that ended the fetch.</summary>
public sealed record FetchItem(string Url, IReadOnlyList<JsonElement>? Records, IReadOnlyDictionary<string, JsonElement>? Envelope, string? Note, ReadProblem? Problem)
{
    public static FetchItem Page(string url, IReadOnlyList<JsonElement> records, IReadOnlyDictionary<string, JsonElement> envelope) => new(url, records, envelope, null, null);
    public static FetchItem Verbose(string url, string note) => new(url, null, null, note, null);
    public static FetchItem Fail(string url, ReadProblem problem) => new(url, null, null, null, problem);
}

/// <summary>
/// Reads a paged collection (Graph <c>@odata.nextLink</c>, ARM <c>nextLink</c>): each next link is requested exactly as
/// the server wrote it, and the fetch ends only when a page has none, never on a short or empty page. A link seen
/// before ends the fetch with a pagination-loop problem. 429 and 503 (and 500/502/504, timeouts and dropped
/// connections) are retried for the same page after <c>Retry-After</c> or a doubling back-off, within a bounded number
/// of attempts and time. A page is yielded only once its whole body has been read, so nothing is duplicated or lost.
/// </summary>
public sealed class PagedCollectionClient(HttpClient http, IAccessTokenSource tokens, RequestThrottle? throttle, FetchOptions options, TimeProvider time)
{
    public async IAsyncEnumerable<FetchItem> ReadAsync(string firstUrl, string scope, string nextLinkProperty, FetchStatistics stats,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? url = firstUrl;
        while (url is not null)
        {
            if (!seen.Add(url))
            {
                stats.Partial = true;
                yield return FetchItem.Fail(url, new ReadProblem("PaginationLoop", ProblemSeverity.Error, url, null, null,
                    $"Pagination loop: the server sent a next link that was already requested, after {stats.Pages} page(s) and {stats.Records} record(s). The records returned are partial.",
                    ProblemCategory.LimitsExceeded));
                yield break;
            }
            var firstFailure = (DateTimeOffset?)null;
            for (int attempt = 1; ; attempt++)
            {
                RequestThrottle.Ticket? ticket = null;
                if (throttle is not null)
                {
                    var wait = throttle.Reserve(out ticket);
                    if (wait > TimeSpan.Zero)
                    {
                        stats.ThrottleWait += wait;
                        yield return FetchItem.Verbose(url, $"Throttle: waiting {wait.TotalSeconds:0.0} s for a request slot ({throttle.Limit} per {throttle.Window.TotalSeconds:0} s).");
                        await Task.Delay(wait, time, cancellation).ConfigureAwait(false);
                    }
                }
                stats.Requests++;
                var outcome = await SendAsync(url, scope, ticket is null ? null : () => throttle!.Dispatched(ticket), cancellation).ConfigureAwait(false);
                if (outcome.Page is { } page)
                {
                    stats.Pages++;
                    stats.Records += page.Records.Count;
                    yield return FetchItem.Page(url, page.Records, page.Envelope);
                    url = page.Envelope.TryGetValue(nextLinkProperty, out var next) && next.ValueKind == JsonValueKind.String && next.GetString() is { Length: > 0 } n ? n : null;
                    break;
                }
                if (!outcome.Transient)
                {
                    stats.Partial = stats.Records > 0;
                    yield return FetchItem.Fail(url, new ReadProblem(outcome.ErrorId!, ProblemSeverity.Error, url, null, null,
                        outcome.Message + (stats.Records > 0 ? $" {stats.Records} record(s) were returned before; they are partial." : ""), outcome.Category));
                    yield break;
                }
                stats.RetryLog.Add(outcome.Reason!);
                var now = time.GetUtcNow();
                firstFailure ??= now;
                var delay = outcome.RetryAfter ?? Backoff(attempt);
                var spent = now - firstFailure.Value;
                if (attempt >= options.MaxAttemptsPerPage || spent + delay > options.MaxRetryDuration)
                {
                    stats.Partial = stats.Records > 0;
                    yield return FetchItem.Fail(url, new ReadProblem("FetchRetriesExhausted", ProblemSeverity.Error, url, null, null,
                        $"Gave up on page {stats.Pages + 1} after {attempt} attempt(s) over {spent.TotalSeconds:0.#} s (limit {options.MaxAttemptsPerPage} attempts, {options.MaxRetryDuration.TotalSeconds:0} s); last: {outcome.Reason}." +
                        (outcome.RetryAfter is { } ra && spent + ra > options.MaxRetryDuration ? $" The server asked to wait {ra.TotalSeconds:0} s more." : "") +
                        $" {stats.Records} record(s) were returned before; they are partial.",
                        ProblemCategory.LimitsExceeded));
                    yield break;
                }
                stats.Retries++;
                stats.RetryWait += delay;
                yield return FetchItem.Verbose(url, $"{outcome.Reason}: retrying page {stats.Pages + 1} in {delay.TotalSeconds:0.#} s (attempt {attempt + 1} of {options.MaxAttemptsPerPage}).");
                await Task.Delay(delay, time, cancellation).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = options.InitialBackoff.Ticks * (1L << Math.Min(attempt - 1, 16));
        return TimeSpan.FromTicks(Math.Min(ticks, options.MaxBackoff.Ticks));
    }

    private sealed record PageData(IReadOnlyList<JsonElement> Records, IReadOnlyDictionary<string, JsonElement> Envelope);

    private sealed record Outcome(PageData? Page, bool Transient, string? Reason, TimeSpan? RetryAfter, string? ErrorId = null, string? Message = null,
        ProblemCategory Category = ProblemCategory.ReadError);

    private async Task<Outcome> SendAsync(string url, string scope, Action? dispatched, CancellationToken cancellation)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        attempt.CancelAfter(options.RequestTimeout);
        try
        {
            var token = await tokens.GetTokenAsync(scope, attempt.Token).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Absolute));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            dispatched?.Invoke();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Content.ReadAsByteArrayAsync(attempt.Token).ConfigureAwait(false);
                try
                {
                    return new Outcome(ParsePage(body), false, null, null);
                }
                catch (JsonException e)
                {
                    return new Outcome(null, true, $"HTTP 200 with an unreadable body ({e.Message.Split(" Path:")[0]})", null);
                }
            }
            var retryAfter = RetryAfter.Parse(response.Headers, time.GetUtcNow());
            if (status is 429 or 503 or 500 or 502 or 504)
                return new Outcome(null, true, $"HTTP {status}" + (retryAfter is { } r ? $" (Retry-After {r.TotalSeconds:0.#} s)" : ""), retryAfter);
            var detail = await ErrorDetail(response, attempt.Token).ConfigureAwait(false);
            var (id, category) = status switch
            {
                401 => ("FetchUnauthorized", ProblemCategory.ReadError),
                403 => ("FetchAccessDenied", ProblemCategory.ReadError),
                404 => ("FetchNotFound", ProblemCategory.ObjectNotFound),
                400 => ("FetchBadRequest", ProblemCategory.InvalidData),
                _ => ("FetchFailed", ProblemCategory.ReadError),
            };
            return new Outcome(null, false, null, null, id, $"HTTP {status} {response.ReasonPhrase}: {detail}", category);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new Outcome(null, true, $"no complete response within {options.RequestTimeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException e)
        {
            return new Outcome(null, true, $"connection failed ({Inner(e)})", null);
        }
        catch (IOException e)
        {
            return new Outcome(null, true, $"connection dropped ({e.Message})", null);
        }
    }

    private static string Inner(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }

    /// <summary>The error message of a Graph or ARM error body (<c>{"error":{"code","message"}}</c>).</summary>
    private static async Task<string> ErrorDetail(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                return $"{code}: {message}";
            }
            return text.Length > 300 ? text[..300] : text;
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            return "(no readable error body)";
        }
    }

    private static PageData ParsePage(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            throw new JsonException("the page has no 'value' array");
        var records = new List<JsonElement>(value.GetArrayLength());
        foreach (var r in value.EnumerateArray()) records.Add(r.Clone());
        var envelope = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name != "value") envelope[p.Name] = p.Value.Clone();
        }
        return new PageData(records, envelope);
    }
}
