using System.Globalization;
using System.Text.Json;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Sources.Azure;

/// <summary>
/// Azure exports write <c>time</c> in ISO 8601 and, in some pipelines, in the US form <c>M/d/yyyy h:mm:ss tt</c>
/// (with or without an offset). ISO goes through <see cref="Timestamps"/>; the US form is parsed here with the
/// invariant culture, never the host's. A time without an offset is UTC.
/// </summary>
public static class AzureTimestamps
{
    private static readonly string[] UsFormats =
    [
        "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm:ss tt zzz", "M/d/yyyy H:mm:ss zzz",
        "M/d/yyyy H:mm:ss.FFFFFFF", "M/d/yyyy h:mm:ss.FFFFFFF tt",
    ];

    public static DateTimeOffset? Parse(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Parse(value.GetString()) : Timestamps.Parse(value);

    public static DateTimeOffset? Parse(string? text)
    {
        var iso = Timestamps.Parse(text);
        if (iso is not null || string.IsNullOrWhiteSpace(text)) return iso;
        return DateTimeOffset.TryParseExact(text.Trim(), UsFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var us) ? us.ToUniversalTime() : null;
    }
}
