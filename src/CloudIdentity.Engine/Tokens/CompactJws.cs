using System.Text;
using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>A JWS in compact serialization, split and decoded but not verified.</summary>
public sealed class CompactJws
{
    private CompactJws(string raw, JsonElement header, byte[] payload, byte[] signature, int secondDot)
    {
        Raw = raw;
        Header = header;
        Payload = payload;
        Signature = signature;
        SigningInputLength = secondDot;
    }

    public string Raw { get; }
    public JsonElement Header { get; }
    public byte[] Payload { get; }
    public byte[] Signature { get; }
    public int SigningInputLength { get; }

    public string? Algorithm => JsonValues.GetString(Header, "alg");
    public string? KeyId => JsonValues.GetString(Header, "kid");
    public string? Type => JsonValues.GetString(Header, "typ");
    public bool HasHeader(string name) => Header.TryGetProperty(name, out _);

    public byte[] SigningInput() => Encoding.ASCII.GetBytes(Raw, 0, SigningInputLength);

    /// <summary>Parses the compact form strictly. On failure <paramref name="reason"/> is a stable code and <paramref name="message"/> explains it.</summary>
    public static bool TryParse(string? token, out CompactJws? jws, out string reason, out string message)
    {
        jws = null;
        reason = "MalformedToken";
        message = "";
        if (string.IsNullOrEmpty(token)) { message = "The token is empty."; return false; }
        if (token.Length > 256 * 1024) { message = "The token is longer than 256 KiB."; return false; }
        if (token.TrimStart().StartsWith('{')) { reason = "UnsupportedSerialization"; message = "JSON serialization is not accepted; only JWS compact serialization is."; return false; }
        var dots = token.Count(c => c == '.');
        if (dots == 4) { reason = "EncryptedTokenNotSupported"; message = "The token is a JWE (five parts); only signed JWTs (three parts) are validated."; return false; }
        if (dots != 2) { message = $"A JWS has three dot-separated parts; this value has {dots + 1}."; return false; }
        var first = token.IndexOf('.');
        var second = token.IndexOf('.', first + 1);
        var headerText = token.AsSpan(0, first);
        var payloadText = token.AsSpan(first + 1, second - first - 1);
        var signatureText = token.AsSpan(second + 1);
        if (headerText.IsEmpty) { message = "The protected header is missing."; return false; }
        if (!Base64Url.TryDecode(headerText, out var headerBytes)) { message = "The header is not strict base64url."; return false; }
        if (!Base64Url.TryDecode(payloadText, out var payload)) { message = "The payload is not strict base64url."; return false; }
        if (!Base64Url.TryDecode(signatureText, out var signature)) { message = "The signature is not strict base64url."; return false; }
        JsonElement header;
        try
        {
            using var doc = JsonDocument.Parse(headerBytes);
            header = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            message = "The header is not valid JSON.";
            return false;
        }
        if (header.ValueKind != JsonValueKind.Object) { message = "The header is not a JSON object."; return false; }
        if (JsonValues.HasDuplicateMembers(header)) { reason = "DuplicateHeaderMember"; message = "The header repeats a member name."; return false; }
        jws = new CompactJws(token, header, payload, signature, second);
        return true;
    }
}
