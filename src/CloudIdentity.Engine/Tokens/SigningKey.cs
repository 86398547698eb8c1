using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>
/// One verification key, from a JWK, a PEM public key, a certificate or an HMAC secret. Keys that fail their
/// sanity checks (small RSA modulus, exponent 1, ROCA fingerprint, point off the curve, short HMAC secret) are
/// kept with <see cref="Problem"/> set, so a token signed by them is rejected for that reason.
/// </summary>
public sealed class SigningKey
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    public const int MinimumRsaBits = 2048;

    private RSA? _rsa;
    private ECDsa? _ecdsa;
    private byte[]? _secret;
    private byte[]? _okp;

    private SigningKey(string keyType) { KeyType = keyType; }

    public string KeyType { get; }
    public string? KeyId { get; private init; }
    public string? Algorithm { get; private init; }
    public string? Use { get; private init; }
    public IReadOnlyList<string>? KeyOperations { get; private init; }
    public string? Curve { get; private init; }
    /// <summary>Entra publishes the issuer each key may sign for (often a <c>{tenantid}</c> template).</summary>
    public string? Issuer { get; private init; }
    public string? Problem { get; private set; }
    /// <summary>RFC 7638 SHA-256 thumbprint (base64url), or null for keys that have none.</summary>
    public string? Thumbprint { get; private set; }
    public bool HasPrivateMembers { get; private init; }
    public int KeySizeBits { get; private set; }
    public bool IsSymmetric => KeyType == "oct";

    public override string ToString() => $"{KeyType} kid={KeyId ?? "(none)"}";

    public static SigningKey FromJwk(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object) return Broken("?", "The JWK is not a JSON object.");
        var kty = JsonValues.GetString(jwk, "kty");
        string[]? ops = jwk.TryGetProperty("key_ops", out var o) && o.ValueKind == JsonValueKind.Array
            ? o.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : "").ToArray() : null;
        var key = new SigningKey(kty ?? "?")
        {
            KeyId = JsonValues.GetString(jwk, "kid"),
            Algorithm = JsonValues.GetString(jwk, "alg"),
            Use = JsonValues.GetString(jwk, "use"),
            KeyOperations = ops,
            Curve = JsonValues.GetString(jwk, "crv"),
            Issuer = JsonValues.GetString(jwk, "issuer"),
            HasPrivateMembers = PrivateMembers.Any(m => m != "k" && jwk.TryGetProperty(m, out _)),
        };
        try
        {
            switch (kty)
            {
                case "RSA": key.LoadRsa(Bytes(jwk, "n"), Bytes(jwk, "e")); break;
                case "EC": key.LoadEc(key.Curve, Bytes(jwk, "x"), Bytes(jwk, "y")); break;
                case "OKP": key.LoadOkp(key.Curve, Bytes(jwk, "x")); break;
                case "oct": key.LoadSecret(Bytes(jwk, "k")); break;
                default: key.Problem = $"Unsupported key type '{kty}'."; break;
            }
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            key.Problem = $"Invalid {kty} key: {e.Message}";
        }
        if (key.Problem is null && key.Algorithm is not null) key.CheckDeclaredAlgorithm();
        return key;
    }

    public static SigningKey FromSecret(byte[] secret, string? keyId = null)
    {
        var key = new SigningKey("oct") { KeyId = keyId };
        key.LoadSecret(secret);
        return key;
    }

    public static SigningKey FromCertificate(X509Certificate2 certificate, string? keyId = null)
    {
        var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            var p = rsa.ExportParameters(false);
            var key = new SigningKey("RSA") { KeyId = keyId };
            key.LoadRsa(p.Modulus!, p.Exponent!);
            return key;
        }
        var ec = certificate.GetECDsaPublicKey() ?? throw new ArgumentException("The certificate holds neither an RSA nor an EC public key.");
        var ep = ec.ExportParameters(false);
        var eck = new SigningKey("EC") { KeyId = keyId, Curve = CurveName(ep.Curve) };
        eck.LoadEc(eck.Curve, ep.Q.X!, ep.Q.Y!);
        return eck;
    }

    /// <summary>A PEM public key (SPKI "PUBLIC KEY", "RSA PUBLIC KEY" or a certificate).</summary>
    public static SigningKey FromPem(string pem, string? keyId = null)
    {
        if (pem.Contains("CERTIFICATE", StringComparison.Ordinal))
            return FromCertificate(X509Certificate2.CreateFromPem(pem), keyId);
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            throw new ArgumentException("A private key was supplied; give the public key only.");
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            var p = rsa.ExportParameters(false);
            var key = new SigningKey("RSA") { KeyId = keyId };
            key.LoadRsa(p.Modulus!, p.Exponent!);
            return key;
        }
        catch (CryptographicException)
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            var ep = ec.ExportParameters(false);
            var key = new SigningKey("EC") { KeyId = keyId, Curve = CurveName(ep.Curve) };
            key.LoadEc(key.Curve, ep.Q.X!, ep.Q.Y!);
            return key;
        }
    }

    private static SigningKey Broken(string kty, string problem) => new(kty) { Problem = problem };

    private static byte[] Bytes(JsonElement jwk, string name)
    {
        var text = JsonValues.GetString(jwk, name) ?? throw new FormatException($"member '{name}' is missing.");
        return Base64Url.TryDecode(text, out var b) ? b : throw new FormatException($"member '{name}' is not base64url.");
    }

    private void LoadRsa(byte[] n, byte[] e)
    {
        var modulus = new BigInteger(n, isUnsigned: true, isBigEndian: true);
        var exponent = new BigInteger(e, isUnsigned: true, isBigEndian: true);
        KeySizeBits = (int)modulus.GetBitLength();
        Thumbprint = ComputeThumbprint($"{{\"e\":\"{Base64Url.Encode(e)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url.Encode(n)}\"}}");
        if (KeySizeBits < MinimumRsaBits) { Problem = $"The RSA key has {KeySizeBits} bits; at least {MinimumRsaBits} are required."; return; }
        if (exponent <= 1 || exponent.IsEven) { Problem = "The RSA public exponent is not an odd number greater than 1."; return; }
        if (RocaFingerprint.Matches(modulus)) { Problem = "The RSA modulus has the ROCA (CVE-2017-15361) fingerprint of a weak key."; return; }
        _rsa = RSA.Create(new RSAParameters { Modulus = TrimLeadingZeros(n), Exponent = TrimLeadingZeros(e) });
    }

    private void LoadEc(string? crv, byte[] x, byte[] y)
    {
        var (curve, size) = crv switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
            "P-521" => (ECCurve.NamedCurves.nistP521, 66),
            _ => throw new ArgumentException($"unsupported curve '{crv}'."),
        };
        if (x.Length != size || y.Length != size) throw new FormatException($"coordinates must be {size} bytes for {crv}.");
        KeySizeBits = size * 8;
        Thumbprint = ComputeThumbprint($"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{Base64Url.Encode(x)}\",\"y\":\"{Base64Url.Encode(y)}\"}}");
        // Import validates that the point lies on the curve (invalid-curve attacks).
        _ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
    }

    private void LoadOkp(string? crv, byte[] x)
    {
        var size = crv switch { "Ed25519" => 32, "Ed448" => 57, _ => throw new ArgumentException($"curve '{crv}' is not a signature curve.") };
        if (x.Length != size) throw new FormatException($"'x' must be {size} bytes for {crv}.");
        KeySizeBits = size * 8;
        Thumbprint = ComputeThumbprint($"{{\"crv\":\"{crv}\",\"kty\":\"OKP\",\"x\":\"{Base64Url.Encode(x)}\"}}");
        _okp = x;
    }

    private void LoadSecret(byte[] k)
    {
        KeySizeBits = k.Length * 8;
        if (k.Length == 0) { Problem = "The HMAC secret is empty."; return; }
        _secret = k;
    }

    private void CheckDeclaredAlgorithm()
    {
        var declared = JwsAlgorithm.Find(Algorithm);
        if (declared is null)
        {
            Problem = KeyType == "oct" ? $"The key is declared for '{Algorithm}', not a signature algorithm." : $"The key declares the unknown algorithm '{Algorithm}'.";
        }
        else if (declared.KeyType != KeyType)
        {
            Problem = $"The key declares '{Algorithm}', which does not fit key type {KeyType}.";
        }
        else if (declared.Curve is not null && Curve is not null && declared.Family == AlgorithmFamily.Ecdsa && declared.Curve != Curve)
        {
            Problem = $"The key declares '{Algorithm}' but its curve is {Curve}.";
        }
    }

    /// <summary>Why this key may not verify a token signed with <paramref name="alg"/>, or null when it may.</summary>
    public string? UnfitFor(JwsAlgorithm alg)
    {
        if (Problem is not null) return Problem;
        if (alg.KeyType != KeyType) return $"Key type {KeyType} cannot verify {alg.Name}.";
        if (Algorithm is not null && Algorithm != alg.Name) return $"The key is restricted to {Algorithm}.";
        if (Use is not null && Use != "sig") return $"The key's use is '{Use}', not 'sig'.";
        if (KeyOperations is not null && !KeyOperations.Contains("verify")) return "The key's key_ops do not include 'verify'.";
        if (alg.Family == AlgorithmFamily.Ecdsa && Curve != alg.Curve) return $"{alg.Name} needs curve {alg.Curve}; the key is {Curve}.";
        if (alg.Name == "Ed25519" && Curve != "Ed25519") return "Ed25519 needs an Ed25519 key.";
        if (alg.Family == AlgorithmFamily.Hmac && _secret!.Length < alg.HashBytes)
            return $"The HMAC secret has {_secret.Length} bytes; {alg.Name} needs at least {alg.HashBytes}.";
        return null;
    }

    /// <summary>Verifies a signature. The caller has already checked <see cref="UnfitFor"/>.</summary>
    public bool Verify(JwsAlgorithm alg, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        try
        {
            switch (alg.Family)
            {
                case AlgorithmFamily.Hmac:
                    Span<byte> mac = stackalloc byte[64];
                    var n = HMAC(alg, _secret!, input, mac);
                    return signature.Length == n && CryptographicOperations.FixedTimeEquals(mac[..n], signature);
                case AlgorithmFamily.RsaPkcs1:
                    return signature.Length == (KeySizeBits + 7) / 8 && _rsa!.VerifyData(input, signature, alg.Hash, RSASignaturePadding.Pkcs1);
                case AlgorithmFamily.RsaPss:
                    return signature.Length == (KeySizeBits + 7) / 8 && _rsa!.VerifyData(input, signature, alg.Hash, RSASignaturePadding.Pss);
                case AlgorithmFamily.Ecdsa:
                    return signature.Length == alg.SignatureBytes && _ecdsa!.VerifyData(input, signature, alg.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                case AlgorithmFamily.EdDsa:
                    return EdDsaVerifier.Verify(Curve!, _okp!, input, signature);
            }
        }
        catch (CryptographicException)
        {
        }
        return false;
    }

    private static int HMAC(JwsAlgorithm alg, byte[] key, ReadOnlySpan<byte> input, Span<byte> mac) => alg.Name switch
    {
        "HS256" => HMACSHA256.HashData(key, input, mac),
        "HS384" => HMACSHA384.HashData(key, input, mac),
        _ => HMACSHA512.HashData(key, input, mac),
    };

    private static string ComputeThumbprint(string canonicalJson) =>
        Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    private static byte[] TrimLeadingZeros(byte[] b)
    {
        var i = 0;
        while (i < b.Length - 1 && b[i] == 0) i++;
        return i == 0 ? b : b[i..];
    }

    private static string? CurveName(ECCurve c) => c.Oid?.FriendlyName switch
    {
        "nistP256" or "ECDSA_P256" => "P-256",
        "nistP384" or "ECDSA_P384" => "P-384",
        "nistP521" or "ECDSA_P521" => "P-521",
        var other => other,
    };
}
