using Org.BouncyCastle.Math.EC.Rfc8032;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Ed25519 and Ed448 verification (RFC 8037) through BouncyCastle: .NET and Microsoft.IdentityModel 8.x have none.</summary>
internal static class EdDsaVerifier
{
    public static bool Verify(string curve, byte[] publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var msg = message.ToArray();
        var sig = signature.ToArray();
        return curve switch
        {
            "Ed25519" => sig.Length == Ed25519.SignatureSize && Ed25519.Verify(sig, 0, publicKey, 0, msg, 0, msg.Length),
            "Ed448" => sig.Length == Ed448.SignatureSize && Ed448.Verify(sig, 0, publicKey, 0, [], msg, 0, msg.Length),
            _ => false,
        };
    }
}
