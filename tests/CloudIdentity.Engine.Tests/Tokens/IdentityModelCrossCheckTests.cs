using System.Security.Claims;
using System.Security.Cryptography;
using CloudIdentity.Engine.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static CloudIdentity.Engine.Tests.Tokens.TokenTestKit;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>Tokens minted by Microsoft.IdentityModel's JsonWebTokenHandler, an independent implementation, validate here; tampered copies do not.</summary>
public sealed class IdentityModelCrossCheckTests
{
    public static TheoryData<string> Algorithms => new() { "RS256", "RS384", "PS256", "PS512", "ES256", "ES384", "ES512" };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Handler_minted_token_validates_and_tampered_copy_does_not(string alg)
    {
        var (securityKey, jwk) = CreateKey(alg);
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.example",
            Audience = "api://x",
            Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
            IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(30),
            SigningCredentials = new SigningCredentials(securityKey, alg),
        });
        var options = new TokenValidationOptions { Issuers = ["https://issuer.example"], Audiences = ["api://x"] };
        var report = Validate(token, Set(jwk), options);
        Assert.True(report.IsValid, string.Join("; ", report.Failures));
        Assert.Equal(alg, report.Algorithm);

        var parts = token.Split('.');
        var claims = System.Text.Encoding.UTF8.GetString(Base64Url.Decode(parts[1])).Replace("user-1", "user-2");
        var tampered = $"{parts[0]}.{Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes(claims))}.{parts[2]}";
        Assert.Equal(["InvalidSignature"], Validate(tampered, Set(jwk), options).FailureReasons);
    }

    private static (SecurityKey, string) CreateKey(string alg)
    {
        if (alg.StartsWith('E'))
        {
            var curve = alg switch { "ES256" => ECCurve.NamedCurves.nistP256, "ES384" => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 };
            var crv = alg switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };
            var ec = ECDsa.Create(curve);
            var p = ec.ExportParameters(false);
            return (new ECDsaSecurityKey(ec) { KeyId = "e1" },
                $"{{\"kty\":\"EC\",\"kid\":\"e1\",\"crv\":\"{crv}\",\"x\":\"{Base64Url.Encode(p.Q.X)}\",\"y\":\"{Base64Url.Encode(p.Q.Y)}\"}}");
        }
        var rsa = RSA.Create(2048);
        return (new RsaSecurityKey(rsa) { KeyId = "r1" }, Jwk(rsa, "r1"));
    }
}
