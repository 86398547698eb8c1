using System.Security.Cryptography;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Strict base64url (RFC 7515 §2): URL-safe alphabet, no padding, no whitespace, canonical trailing bits.</summary>
public static class Base64Url
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1) return false;
        foreach (var c in text)
        {
            if (!IsAlphabet(c)) return false;
        }
        var padded = new char[text.Length + (4 - text.Length % 4) % 4];
        for (var i = 0; i < text.Length; i++)
        {
            padded[i] = text[i] switch { '-' => '+', '_' => '/', var c => c };
        }
        for (var i = text.Length; i < padded.Length; i++) padded[i] = '=';
        try
        {
            bytes = Convert.FromBase64CharArray(padded, 0, padded.Length);
        }
        catch (FormatException)
        {
            return false;
        }
        // Non-canonical encodings (unused low bits set) are a second spelling of the same bytes: refuse them.
        return Encode(bytes).AsSpan().SequenceEqual(text);
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes) ? bytes : throw new FormatException("The value is not strict base64url.");

    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256(string ascii) => Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(ascii)));

    private static bool IsAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
