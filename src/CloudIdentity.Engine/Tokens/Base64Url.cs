using System.Security.Cryptography;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Strict base64url (RFC 7515 §2): URL-safe alphabet, no padding, no whitespace, canonical trailing bits.</summary>
public static class Base64Url
{
    private static readonly sbyte[] Values = BuildValues();

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        var rem = text.Length % 4;
        if (rem == 1) return false;
        var result = new byte[text.Length / 4 * 3 + (rem == 0 ? 0 : rem - 1)];
        int acc = 0, bits = 0, o = 0;
        foreach (var c in text)
        {
            var v = c < 128 ? Values[c] : -1;
            if (v < 0) return false;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                result[o++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        // Non-canonical encodings (unused low bits set) are a second spelling of the same bytes: refuse them.
        if (acc != 0) return false;
        bytes = result;
        return true;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < alphabet.Length; i++) values[alphabet[i]] = (sbyte)i;
        return values;
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes) ? bytes : throw new FormatException("The value is not strict base64url.");

    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256(string ascii) => Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(ascii)));

}
