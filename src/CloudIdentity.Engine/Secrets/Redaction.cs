namespace CloudIdentity.Engine.Secrets;

/// <summary>Masks secrets for display. Short secrets show nothing; long ones at most a 4-character prefix and 2-character suffix.</summary>
public static class Redaction
{
    public static string Mask(string secret)
    {
        var s = secret.Replace("\r", "").Replace("\n", "");
        if (s.Length < 12) return new string('*', Math.Max(4, Math.Min(s.Length, 8)));
        var keepStart = s.Length >= 20 ? 4 : 2;
        var keepEnd = s.Length >= 20 ? 2 : 0;
        var stars = Math.Min(s.Length - keepStart - keepEnd, 16);
        return s[..keepStart] + new string('*', stars) + s[^keepEnd..];
    }

    /// <summary>Replaces every occurrence of the secrets in a text (for messages built from matched content).</summary>
    public static string Scrub(string text, IEnumerable<string> secrets)
    {
        foreach (var s in secrets) if (s.Length > 0) text = text.Replace(s, Mask(s), StringComparison.Ordinal);
        return text;
    }
}
