using System.Security.Cryptography;

namespace CloudIdentity.Engine.Tokens;

public enum AlgorithmFamily { Hmac, RsaPkcs1, RsaPss, Ecdsa, EdDsa }

/// <summary>The JWS signature algorithms this module knows (RFC 7518, RFC 8037, RFC 9864). Names are case-sensitive.</summary>
public sealed record JwsAlgorithm(string Name, AlgorithmFamily Family, HashAlgorithmName Hash, string? Curve = null, int SignatureBytes = 0)
{
    private static readonly Dictionary<string, JwsAlgorithm> Known = new JwsAlgorithm[]
    {
        new("HS256", AlgorithmFamily.Hmac, HashAlgorithmName.SHA256, SignatureBytes: 32),
        new("HS384", AlgorithmFamily.Hmac, HashAlgorithmName.SHA384, SignatureBytes: 48),
        new("HS512", AlgorithmFamily.Hmac, HashAlgorithmName.SHA512, SignatureBytes: 64),
        new("RS256", AlgorithmFamily.RsaPkcs1, HashAlgorithmName.SHA256),
        new("RS384", AlgorithmFamily.RsaPkcs1, HashAlgorithmName.SHA384),
        new("RS512", AlgorithmFamily.RsaPkcs1, HashAlgorithmName.SHA512),
        new("PS256", AlgorithmFamily.RsaPss, HashAlgorithmName.SHA256),
        new("PS384", AlgorithmFamily.RsaPss, HashAlgorithmName.SHA384),
        new("PS512", AlgorithmFamily.RsaPss, HashAlgorithmName.SHA512),
        new("ES256", AlgorithmFamily.Ecdsa, HashAlgorithmName.SHA256, "P-256", 64),
        new("ES384", AlgorithmFamily.Ecdsa, HashAlgorithmName.SHA384, "P-384", 96),
        new("ES512", AlgorithmFamily.Ecdsa, HashAlgorithmName.SHA512, "P-521", 132),
        new("EdDSA", AlgorithmFamily.EdDsa, default),
        new("Ed25519", AlgorithmFamily.EdDsa, default, "Ed25519", 64),
    }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> KnownNames => Known.Keys;

    /// <summary>The default allow-list: every asymmetric algorithm. HMAC must be asked for explicitly.</summary>
    public static IReadOnlyList<string> DefaultAllowed { get; } =
        Known.Values.Where(a => a.Family != AlgorithmFamily.Hmac).Select(a => a.Name).ToArray();

    public static JwsAlgorithm? Find(string? name) => name is not null && Known.TryGetValue(name, out var a) ? a : null;

    public bool IsSymmetric => Family == AlgorithmFamily.Hmac;

    public string KeyType => Family switch
    {
        AlgorithmFamily.Hmac => "oct",
        AlgorithmFamily.RsaPkcs1 or AlgorithmFamily.RsaPss => "RSA",
        AlgorithmFamily.Ecdsa => "EC",
        _ => "OKP",
    };

    public int HashBytes => Hash.Name switch { "SHA256" => 32, "SHA384" => 48, "SHA512" => 64, _ => 0 };
}
