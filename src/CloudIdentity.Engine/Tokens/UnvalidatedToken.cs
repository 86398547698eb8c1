using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>
/// A JWT decoded WITHOUT any validation: nothing in it is trustworthy. The type name says so on purpose;
/// use Test-CloudIdToken before relying on any value.
/// </summary>
public sealed class UnvalidatedToken
{
    public required IReadOnlyDictionary<string, object?> Header { get; init; }
    public required IReadOnlyDictionary<string, object?> Claims { get; init; }
    public string? Algorithm { get; init; }
    public string? KeyId { get; init; }
    public string? Type { get; init; }
    public string? Issuer { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyList<string> Audience { get; init; } = [];
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public int SignatureLength { get; init; }
    public string TokenPreview { get; init; } = "";
    public bool Validated => false;

    /// <summary>Decodes a compact JWS; throws <see cref="FormatException"/> when it cannot be read.</summary>
    public static UnvalidatedToken Decode(string token)
    {
        if (!CompactJws.TryParse(token, out var jws, out _, out var message)) throw new FormatException(message);
        JsonElement claims;
        try
        {
            using var doc = JsonDocument.Parse(jws!.Payload);
            claims = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FormatException("The payload is not a JSON claim set.");
        }
        if (claims.ValueKind != JsonValueKind.Object) throw new FormatException("The payload is not a JSON object.");
        DateTimeOffset? Date(string n) => ClaimChecks.TryNumericDate(claims, n, out var d) ? d : null;
        var aud = claims.TryGetProperty("aud", out var a)
            ? a.ValueKind == JsonValueKind.String ? [a.GetString()!] : a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray() : Array.Empty<string>()
            : [];
        return new UnvalidatedToken
        {
            Header = JsonValues.ToDictionary(jws.Header),
            Claims = JsonValues.ToDictionary(claims),
            Algorithm = jws.Algorithm,
            KeyId = jws.KeyId,
            Type = jws.Type,
            Issuer = JsonValues.GetString(claims, "iss"),
            Subject = JsonValues.GetString(claims, "sub"),
            Audience = aud,
            IssuedAt = Date("iat"),
            NotBefore = Date("nbf"),
            Expires = Date("exp"),
            SignatureLength = jws.Signature.Length,
            TokenPreview = TokenMask.Mask(token),
        };
    }
}
