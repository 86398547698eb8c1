using System.Text;
using System.Text.Json;

namespace CloudIdentity.Engine.Graph;

/// <summary>
/// What a connection may show about a bearer token it was handed: tenant, app, audience, expiry. Read from the JWT
/// payload without validation (the token is the user's own); the token text itself is never kept here.
/// </summary>
public sealed record AccessTokenInfo(string? TenantId, string? AppId, string? Audience, DateTimeOffset? ExpiresOn, string? Subject)
{
    public static AccessTokenInfo Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2) return new(null, null, null, null, null);
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var r = doc.RootElement;
            string? S(string n) => r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            DateTimeOffset? exp = r.TryGetProperty("exp", out var e) && e.TryGetInt64(out var n) ? DateTimeOffset.FromUnixTimeSeconds(n) : null;
            return new(S("tid"), S("appid") ?? S("azp"), S("aud"), exp, S("upn") ?? S("unique_name") ?? S("oid"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return new(null, null, null, null, null);
        }
    }
}
