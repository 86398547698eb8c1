using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Audience and time-claim checks on a JWT claim set.</summary>
internal static class ClaimChecks
{
    public static TokenCheck Audience(JsonElement claims, IReadOnlyList<string> expected)
    {
        const TokenCheckName n = TokenCheckName.Audience;
        if (expected.Count == 0) return new(n, CheckOutcome.Skipped, "NotConfigured", "No audience was given, so 'aud' was not checked.");
        if (!claims.TryGetProperty("aud", out var aud)) return new(n, CheckOutcome.Failed, "MissingAudience", "The token has no 'aud' claim.");
        string[] values;
        if (aud.ValueKind == JsonValueKind.String) values = [aud.GetString()!];
        else if (aud.ValueKind == JsonValueKind.Array)
        {
            if (aud.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                return new(n, CheckOutcome.Failed, "MalformedAudience", "'aud' holds something other than strings.");
            values = aud.EnumerateArray().Select(e => e.GetString()!).ToArray();
            if (values.Length == 0) return new(n, CheckOutcome.Failed, "EmptyAudience", "'aud' is an empty array.");
        }
        else return new(n, CheckOutcome.Failed, "MalformedAudience", $"'aud' is a {aud.ValueKind}, not a string or an array of strings.");
        var hit = values.FirstOrDefault(v => expected.Contains(v, StringComparer.Ordinal));
        return hit is not null
            ? new(n, CheckOutcome.Passed, "Ok", $"Audience '{hit}' is accepted.")
            : new(n, CheckOutcome.Failed, "AudienceMismatch", $"No 'aud' value ({string.Join(", ", values)}) matches (case-sensitive) an accepted audience.");
    }

    /// <summary>Reads a NumericDate. Returns false when the claim is present but not a number.</summary>
    public static bool TryNumericDate(JsonElement claims, string name, out DateTimeOffset? value)
    {
        value = null;
        if (!claims.TryGetProperty(name, out var e)) return true;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var seconds) || double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799) return false;
        value = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return true;
    }
}
