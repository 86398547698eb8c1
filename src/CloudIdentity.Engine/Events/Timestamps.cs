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
        if (TryParseIsoUtc(text, out var fast)) return fast;
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

    /// <summary>
    /// Fast path for the commonest form, <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c> (CloudTrail, Graph): parsed by hand,
    /// because culture-aware format matching costs more than parsing the whole JSON record.
    /// </summary>
    internal static bool TryParseIsoUtc(string s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[^1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return false;
        long ticks = 0;
        if (s.Length > 20)
        {
            if (s[19] != '.') return false;
            int digits = s.Length - 21;
            if (digits is < 1 or > 7 || !Digits(s, 20, digits, out var fraction)) return false;
            ticks = fraction;
            for (int i = digits; i < 7; i++) ticks *= 10;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59) return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks);
        return true;
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
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
