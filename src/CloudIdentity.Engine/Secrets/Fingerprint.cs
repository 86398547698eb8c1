using System.Security.Cryptography;
using System.Text;

namespace CloudIdentity.Engine.Secrets;

/// <summary>Stable finding id: SHA-256 over pattern id and secret, so it survives line moves and file renames.</summary>
public static class Fingerprint
{
    public static string Of(string patternId, string secret)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(patternId + "\u0000" + secret));
        return Convert.ToHexString(bytes, 0, 16).ToLowerInvariant();
    }
}
