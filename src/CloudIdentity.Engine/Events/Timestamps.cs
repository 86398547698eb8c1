using System.Globalization;
using System.Text.Json;

namespace CloudIdentity.Engine.Events;

/// <summary>
/// Parses log timestamps itself (never through a host's culture or time zone): ISO 8601 with any offset and up to
/// 7 fractional digits, CloudTrail Lake's <c>yyyy-MM-dd HH:mm:ss.fff</c>, and epoch seconds or milliseconds.
/// Results are UTC <see cref="DateTimeOffset"/>s.
/// </summary>
public static class Timestamps
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyyMMdd'T'HHmmssK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact))
            return exact.ToUniversalTime();
        // Fractions longer than 7 digits (nanoseconds) are cut to 100 ns.
        var m = System.Text.RegularExpressions.Regex.Match(text, @"^(.*\.\d{7})\d+(.*)$");
        if (m.Success) return Parse(m.Groups[1].Value + m.Groups[2].Value);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)) return FromEpoch(epoch);
        return null;
    }

    public static DateTimeOffset? Parse(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Parse(value.GetString()),
        JsonValueKind.Number when value.TryGetInt64(out var n) => FromEpoch(n),
        _ => null,
    };

    /// <summary>Epoch seconds, or milliseconds when the number is too large to be seconds (after year 5138).</summary>
    public static DateTimeOffset? FromEpoch(long n)
    {
        try
        {
            return Math.Abs(n) >= 100_000_000_000L ? DateTimeOffset.FromUnixTimeMilliseconds(n) : DateTimeOffset.FromUnixTimeSeconds(n);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
