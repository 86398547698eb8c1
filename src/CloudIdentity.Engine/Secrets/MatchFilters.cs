using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Secrets;

/// <summary>Decides whether a regex match is a credential: validators, entropy, placeholders, code references.</summary>
internal static partial class MatchFilters
{
    /// <summary>Null when the match is a finding; otherwise why it is not (for the Suppressed notice or silently dropped).</summary>
    public static (string? Reason, bool Silent) Check(SecretPattern p, string secret)
    {
        foreach (var allow in p.Allow) if (allow.IsMatch(secret)) return ("documented example value (pattern allow list)", false);
        var placeholder = Placeholders.Reason(secret);
        if (placeholder is not null) return (placeholder, false);
        switch (p.Validator)
        {
            case "github-checksum" when !GitHubTokenChecksum.IsValid(secret): return ("checksum mismatch", true);
            case "jwt" when !IsJwt(secret): return ("not a decodable JWT", true);
        }
        if (p.MinEntropy > 0 && Entropy.Shannon(secret) < p.MinEntropy) return ("entropy below threshold", true);
        if (p.RequireMixed && !IsMixed(secret)) return ("not random-looking", true);
        if (p.Generic && LooksLikeCode(secret)) return ("code reference, not a literal", true);
        return (null, true);
    }

    private static bool IsMixed(string s) => s.Any(char.IsUpper) && s.Any(char.IsLower) && s.Any(char.IsDigit);

    private static bool LooksLikeCode(string s)
    {
        if (CodeReference().IsMatch(s)) return true;
        if (IdentifierWords().IsMatch(s)) return true;
        var hasDigit = s.Any(char.IsDigit);
        var hasLetter = s.Any(char.IsLetter);
        var mixedCase = s.Any(char.IsUpper) && s.Any(char.IsLower);
        if (!(hasDigit && hasLetter) && !(mixedCase && s.Length >= 16)) return true;
        return false;
    }

    private static bool IsJwt(string s)
    {
        var parts = s.Split('.');
        if (parts.Length != 3) return false;
        try
        {
            using var header = JsonDocument.Parse(Base64Url(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out _)) return false;
            using var payload = JsonDocument.Parse(Base64Url(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException) { return false; }
    }

    private static byte[] Base64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        t = t.PadRight(t.Length + (4 - t.Length % 4) % 4, '=');
        return Convert.FromBase64String(t);
    }

    // os.environ[...], process.env.X, getenv(...), config.x, self.x, function calls, file paths.
    [GeneratedRegex(@"^(?:[A-Za-z_][\w]*\.)+[A-Za-z_][\w]*(?:\(.*)?$|\(|^(?:os|process|env|self|this|config|settings|args|params|request|req|props)\b|^/|^[A-Za-z]:\\", RegexOptions.CultureInvariant)]
    private static partial Regex CodeReference();

    // snake_case / kebab-case words such as oauth2_client_credentials or my-app-secret.
    [GeneratedRegex(@"^[a-z][a-z0-9]*(?:[_-][a-z][a-z0-9]*)+$|^[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierWords();
}
