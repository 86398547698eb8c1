namespace CloudIdentity.Engine.Tokens;

/// <summary>Shortens a token or secret for messages: never more than a short prefix is shown.</summary>
public static class TokenMask
{
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "<empty>";
        var shown = Math.Min(8, value.Length / 4);
        return $"{value[..shown]}…({value.Length} chars)";
    }
}
