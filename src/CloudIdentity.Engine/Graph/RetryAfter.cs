using System.Globalization;
using System.Net.Http.Headers;

namespace CloudIdentity.Engine.Graph;

/// <summary>Reads <c>Retry-After</c> as delta-seconds or as an HTTP date (RFC 9110 §10.2.3).</summary>
public static class RetryAfter
{
    public static TimeSpan? Parse(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (value?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        // Some servers send a number with a fraction or spaces that the typed header refuses.
        if (headers.TryGetValues("Retry-After", out var raw))
            return Parse(raw.FirstOrDefault(), now);
        return null;
    }

    public static TimeSpan? Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
