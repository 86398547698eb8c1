using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudIdentity.Engine.Tokens;
using static CloudIdentity.Engine.Tests.Tokens.TokenTestKit;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>The token's own key hints (jku, x5u, jwk, x5c) and the -Key forms.</summary>
public sealed class KeyHintTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static string Claims() => TokenTestKit.Claims(new { iss = "https://issuer.example", iat = Unix(Now), exp = Unix(Now.AddMinutes(30)) });

    [Fact]
    public void Jku_and_x5u_are_never_fetched()
    {
        using var attacker = new LoopbackIssuer { Jwks = Jwks(Jwk(Rsa2, "k1")) };
        var header = $"{{\"alg\":\"RS256\",\"kid\":\"k1\",\"jku\":\"{attacker.Issuer}/keys\",\"x5u\":\"{attacker.Issuer}/cert\"}}";
        var report = Validate(Rs256(Rsa2, header, Claims()), Set(Jwk(Rsa1, "k1")));
        Assert.False(report.IsValid);
        Assert.Equal("InvalidSignature", report.Check(TokenCheckName.Signature).Reason);
        Assert.Equal(IndicatorSeverity.Medium, report.Indicators.Single(i => i.Id == "UntrustedKeyUrl").Severity);
        Assert.Equal(0, attacker.JwksRequests);
    }

    [Fact]
    public void Embedded_jwk_is_ignored_even_when_it_verifies()
    {
        var header = $"{{\"alg\":\"RS256\",\"jwk\":{Jwk(Rsa2, null)}}}";
        var report = Validate(Rs256(Rsa2, header, Claims()), Set(Jwk(Rsa1, "k1")));
        Assert.False(report.IsValid);
        Assert.True(report.HasIndicator("EmbeddedJwk"));
    }

    [Fact]
    public void X5c_is_trusted_only_when_it_chains_to_a_supplied_root()
    {
        using var rootKey = RSA.Create(2048);
        var rootReq = new CertificateRequest("CN=Test Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootReq.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        using var leafKey = RSA.Create(2048);
        var leafReq = new CertificateRequest("CN=Signer", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leaf = leafReq.Create(root, Now.AddDays(-1), Now.AddDays(10), [1, 2, 3, 4]);
        var x5c = $"[\"{Convert.ToBase64String(leaf.RawData)}\",\"{Convert.ToBase64String(root.RawData)}\"]";
        var token = Rs256(leafKey, $"{{\"alg\":\"RS256\",\"x5c\":{x5c}}}", Claims());
        var emptySet = Set();

        var trusted = Validate(token, emptySet, new TokenValidationOptions { TrustedRoots = [root] });
        Assert.True(trusted.IsValid, string.Join("; ", trusted.Failures));

        var noRoot = Validate(token, emptySet);
        Assert.False(noRoot.IsValid);
        Assert.Equal(IndicatorSeverity.Low, noRoot.Indicators.Single(i => i.Id == "UntrustedCertificateChain").Severity);

        using var otherKey = RSA.Create(2048);
        using var otherRoot = new CertificateRequest("CN=Other Root", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        var wrongRoot = Validate(token, emptySet, new TokenValidationOptions { TrustedRoots = [otherRoot] });
        Assert.False(wrongRoot.IsValid);
        Assert.Equal(IndicatorSeverity.Medium, wrongRoot.Indicators.Single(i => i.Id == "UntrustedCertificateChain").Severity);
    }

    [Fact]
    public void Key_material_forms()
    {
        var token = Rs256(Rsa1, "{\"alg\":\"RS256\"}", Claims());
        Assert.True(Validate(token, KeyMaterial.ToKeySet([Rsa1.ExportSubjectPublicKeyInfoPem()])).IsValid);
        Assert.True(Validate(token, KeyMaterial.ToKeySet([Jwk(Rsa1, "k1")])).IsValid);
        Assert.Throws<ArgumentException>(() => KeyMaterial.ToKeySet([Rsa1.ExportRSAPrivateKeyPem()]));

        var secret = RandomNumberGenerator.GetBytes(32);
        var hs = Hs256(secret, "{\"alg\":\"HS256\"}", Claims());
        Assert.Equal("AlgorithmNotAllowed", Validate(hs, KeyMaterial.ToKeySet([secret])).Check(TokenCheckName.Algorithm).Reason);
        Assert.True(Validate(hs, KeyMaterial.ToKeySet([secret]), new TokenValidationOptions { Algorithms = ["HS256"] }).IsValid);
        Assert.Equal("KeyUnusable", Validate(Hs256(new byte[16], "{\"alg\":\"HS256\"}", Claims()), KeyMaterial.ToKeySet([new byte[16]]),
            new TokenValidationOptions { Algorithms = ["HS256"] }).Check(TokenCheckName.KeyMatch).Reason);
    }

    [Fact]
    public void Case_variants_of_algorithm_names_are_not_allowed()
    {
        var token = Rs256(Rsa1, "{\"alg\":\"rs256\",\"kid\":\"k1\"}", Claims());
        var report = Validate(token, Set(Jwk(Rsa1, "k1")));
        Assert.Equal("AlgorithmNotAllowed", report.Check(TokenCheckName.Algorithm).Reason);
        Assert.Equal(CheckOutcome.Skipped, report.Check(TokenCheckName.Signature).Outcome);
    }

    [Fact]
    public void Encrypted_and_json_serialized_tokens_are_refused_with_their_reason()
    {
        Assert.Equal("EncryptedTokenNotSupported", Validate("a.b.c.d.e", Set()).Check(TokenCheckName.Format).Reason);
        Assert.Equal("UnsupportedSerialization", Validate("{\"payload\":\"x\"}", Set()).Check(TokenCheckName.Format).Reason);
        var dup = Base64Url.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\",\"alg\":\"none\"}")) + ".e30.";
        Assert.Equal("DuplicateHeaderMember", Validate(dup, Set()).Check(TokenCheckName.Format).Reason);
    }
}
