using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Turns what a user hands to -Key (certificate, PEM, JWK/JWKS JSON, or an HMAC secret as bytes) into keys.</summary>
public static class KeyMaterial
{
    public static SigningKeySet ToKeySet(IEnumerable<object> keys)
    {
        var result = new List<SigningKey>();
        foreach (var key in keys)
        {
            switch (key)
            {
                case X509Certificate2 cert:
                    result.Add(SigningKey.FromCertificate(cert));
                    break;
                case byte[] secret:
                    result.Add(SigningKey.FromSecret(secret));
                    break;
                case string text when text.TrimStart().StartsWith('{'):
                    result.AddRange(SigningKeySet.Parse(text, "-Key").Keys);
                    break;
                case string text when text.Contains("-----BEGIN", StringComparison.Ordinal):
                    result.Add(SigningKey.FromPem(text));
                    break;
                case string:
                    throw new ArgumentException("A -Key string must be a PEM public key or certificate, or JWK/JWKS JSON. Pass an HMAC secret as a byte array.");
                default:
                    throw new ArgumentException($"A -Key of type {key?.GetType().Name ?? "null"} is not supported (use an X509Certificate2, PEM or JWK text, or a byte[] secret).");
            }
        }
        return new SigningKeySet(result, "-Key");
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
