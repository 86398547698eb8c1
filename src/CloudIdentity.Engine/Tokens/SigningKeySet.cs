using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>A set of verification keys (a JWKS, or keys given one by one).</summary>
public sealed class SigningKeySet
{
    public SigningKeySet(IEnumerable<SigningKey> keys, string source)
    {
        Keys = keys.ToArray();
        Source = source;
    }

    public IReadOnlyList<SigningKey> Keys { get; }
    public string Source { get; }
    public bool HasAsymmetricKeys => Keys.Any(k => !k.IsSymmetric);

    /// <summary>Parses a JWKS (<c>{"keys":[...]}</c>) or a single JWK.</summary>
    public static SigningKeySet Parse(string json, string source)
    {
        using var doc = JsonDocument.Parse(json);
        return FromElement(doc.RootElement, source);
    }

    public static SigningKeySet FromElement(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("A JWKS must be a JSON object.");
        if (root.TryGetProperty("keys", out var keys))
        {
            if (keys.ValueKind != JsonValueKind.Array) throw new FormatException("The JWKS 'keys' member is not an array.");
            return new SigningKeySet(keys.EnumerateArray().Select(SigningKey.FromJwk), source);
        }
        if (root.TryGetProperty("kty", out _)) return new SigningKeySet([SigningKey.FromJwk(root)], source);
        throw new FormatException("The JSON is neither a JWKS (no 'keys') nor a JWK (no 'kty').");
    }

    public IEnumerable<SigningKey> WithKeyId(string kid) => Keys.Where(k => k.KeyId == kid);
}
