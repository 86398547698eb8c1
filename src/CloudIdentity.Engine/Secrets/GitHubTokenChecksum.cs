namespace CloudIdentity.Engine.Secrets;

/// <summary>
/// GitHub's classic token checksum (BR-39): the last 6 characters are CRC32 of the 30 body characters after the
/// prefix, in base62 (0-9A-Za-z) left-padded with '0'. The token's checksum is decoded and compared as a number,
/// so padding cannot cause a mismatch.
/// </summary>
public static class GitHubTokenChecksum
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool IsValid(string token)
    {
        var underscore = token.IndexOf('_');
        if (underscore < 0) return false;
        var rest = token.AsSpan(underscore + 1);
        if (rest.Length != 36) return false;
        var body = rest[..30];
        var check = rest[30..];
        long value = 0;
        foreach (var c in check)
        {
            var d = Alphabet.IndexOf(c);
            if (d < 0) return false;
            value = value * 62 + d;
        }
        return value == Crc32.Compute(body);
    }

    public static string Checksum(ReadOnlySpan<char> body)
    {
        long v = Crc32.Compute(body);
        var chars = new char[6];
        for (var i = 5; i >= 0; i--) { chars[i] = Alphabet[(int)(v % 62)]; v /= 62; }
        return new string(chars);
    }
}

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) over ASCII characters.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }

    public static uint Compute(ReadOnlySpan<char> ascii)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var ch in ascii) crc = Table[(crc ^ (byte)ch) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
