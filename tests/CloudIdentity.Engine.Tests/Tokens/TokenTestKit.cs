using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudIdentity.Engine.Tokens;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>Mints test tokens with .NET crypto and locates the shared corpus.</summary>
internal static class TokenTestKit
{
    public static readonly RSA Rsa1 = RSA.Create(2048);
    public static readonly RSA Rsa2 = RSA.Create(2048);
    public static readonly ECDsa Ec1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsa Ec2 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string Jwk(RSA rsa, string? kid, string? extra = null)
    {
        var p = rsa.ExportParameters(false);
        return $"{{\"kty\":\"RSA\"{(kid is null ? "" : $",\"kid\":\"{kid}\"")},\"n\":\"{Base64Url.Encode(p.Modulus)}\",\"e\":\"{Base64Url.Encode(p.Exponent)}\"{extra}}}";
    }

    public static string Jwk(ECDsa ec, string? kid = null)
    {
        var p = ec.ExportParameters(false);
        return $"{{\"kty\":\"EC\",\"crv\":\"P-256\"{(kid is null ? "" : $",\"kid\":\"{kid}\"")},\"x\":\"{Base64Url.Encode(p.Q.X)}\",\"y\":\"{Base64Url.Encode(p.Q.Y)}\"}}";
    }

    public static string Jwks(params string[] jwks) => $"{{\"keys\":[{string.Join(",", jwks)}]}}";

    public static SigningKeySet Set(params string[] jwks) => SigningKeySet.Parse(Jwks(jwks), "test JWKS");

    public static string Rs256(RSA rsa, string header, string payload) => Sign(header, payload, input => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Es256(ECDsa ec, string header, string payload) => Sign(header, payload, input => ec.SignData(input, HashAlgorithmName.SHA256));

    public static string Hs256(byte[] secret, string header, string payload) => Sign(header, payload, input => HMACSHA256.HashData(secret, input));

    public static string Sign(string header, string payload, Func<byte[], byte[]> signer)
    {
        var input = Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payload));
        return input + "." + Base64Url.Encode(signer(Encoding.ASCII.GetBytes(input)));
    }

    public static string Unsigned(string header, string payload) =>
        Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payload)) + ".";

    public static string Claims(object claims) => JsonSerializer.Serialize(claims);

    public static long Unix(DateTimeOffset t) => t.ToUnixTimeSeconds();

    public static TokenValidationReport Validate(string token, SigningKeySet keys, TokenValidationOptions? options = null, TimeProvider? time = null) =>
        new TokenValidator(new StaticKeySource(keys), options ?? new TokenValidationOptions(), time).Validate(token);

    /// <summary>../shared/corpus relative to the repository root, or null (tests then skip with a message).</summary>
    public static string? CorpusRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Module.sln")))
                {
                    var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
                    return Directory.Exists(corpus) ? corpus : null;
                }
            }
            return null;
        }
    }

    public static string CorpusFile(string relative) =>
        Path.Combine(CorpusRoot ?? throw new SkipException("../shared/corpus is absent: corpus tests skipped."), relative);
}

/// <summary>A TimeProvider the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
