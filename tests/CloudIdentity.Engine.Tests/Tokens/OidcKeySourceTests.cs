using System.Net;
using System.Security.Cryptography;
using CloudIdentity.Engine.Tokens;
using static CloudIdentity.Engine.Tests.Tokens.TokenTestKit;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>BR-31 against a loopback issuer: rotation, unknown kid, rate limit, re-keyed kid, outage, no kid; JWKS host pinning.</summary>
public sealed class OidcKeySourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static string Token(RSA rsa, string? kid, DateTimeOffset now, string issuer) =>
        Rs256(rsa, kid is null ? "{\"alg\":\"RS256\"}" : $"{{\"alg\":\"RS256\",\"kid\":\"{kid}\"}}",
            Claims(new { iss = issuer, sub = "s", iat = Unix(now), exp = Unix(now.AddHours(1)) }));

    [Fact]
    public async Task BR31_rotation_unknown_kid_rate_limit_rekey_outage_and_no_kid()
    {
        using var issuer = new LoopbackIssuer();
        var time = new ManualTime(T0);
        var source = new OidcKeySource(issuer.DiscoveryUri, time: time);
        var validator = new TokenValidator(source, new TokenValidationOptions { Issuers = [issuer.Issuer] }, time);
        using var rsaK2 = RSA.Create(2048);
        using var rekeyed = RSA.Create(2048);

        // t0: JWKS {k1}
        issuer.Jwks = Jwks(Jwk(Rsa1, "k1"));
        Assert.True((await validator.ValidateAsync(Token(Rsa1, "k1", time.Now, issuer.Issuer))).IsValid);
        Assert.Equal(1, issuer.JwksRequests);

        // t0+10m: IdP publishes {k1,k2}; token A (kid k2): one refetch, then accepted.
        time.Now = T0.AddMinutes(10);
        issuer.Jwks = Jwks(Jwk(Rsa1, "k1"), Jwk(rsaK2, "k2"));
        var a = await validator.ValidateAsync(Token(rsaK2, "k2", time.Now, issuer.Issuer));
        Assert.True(a.IsValid, string.Join("; ", a.Failures));
        Assert.Equal(2, issuer.JwksRequests);

        // t0+10m: token B (unknown kid) right after: no refetch (minimum interval), rejected as key not found.
        var b = await validator.ValidateAsync(Token(Rsa2, "k-unknown", time.Now, issuer.Issuer));
        Assert.Equal("KeyNotFound", b.Check(TokenCheckName.KeyMatch).Reason);
        Assert.Equal(2, issuer.JwksRequests);

        // t0+11m: 100 tokens with random kids within 60 s cause at most 2 fetches.
        time.Now = T0.AddMinutes(11);
        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(590));
            Assert.False((await validator.ValidateAsync(Token(Rsa2, Guid.NewGuid().ToString("N"), time.Now, issuer.Issuer))).IsValid);
        }
        Assert.InRange(issuer.JwksRequests - 2, 0, 2);

        // t0+12m: k1 re-keyed under the same kid; token C fails with the cached k1, one refetch, accepted.
        time.Now = T0.AddMinutes(12);
        issuer.Jwks = Jwks(Jwk(rekeyed, "k1"), Jwk(rsaK2, "k2"));
        var before = issuer.JwksRequests;
        var c = await validator.ValidateAsync(Token(rekeyed, "k1", time.Now, issuer.Issuer));
        Assert.True(c.IsValid, string.Join("; ", c.Failures));
        Assert.Equal(before + 1, issuer.JwksRequests);

        // t0+13m: endpoint returns 503; token D (k2) accepted from last-known-good keys.
        time.Now = T0.AddMinutes(13);
        issuer.Status = HttpStatusCode.ServiceUnavailable;
        Assert.True((await validator.ValidateAsync(Token(rsaK2, "k2", time.Now, issuer.Issuer))).IsValid);
        // Still down past the refresh interval: the refetch fails and last-known-good keys are used (within 24 h).
        time.Now = T0.AddHours(3);
        var d = await validator.ValidateAsync(Token(rsaK2, "k2", time.Now, issuer.Issuer));
        Assert.True(d.IsValid, string.Join("; ", d.Failures));

        // t0+14m-equivalent: token E without kid, two RSA keys: only fitting keys are tried, the right one verifies.
        issuer.Status = HttpStatusCode.OK;
        time.Now = T0.AddHours(4);
        var e = await validator.ValidateAsync(Token(rsaK2, null, time.Now, issuer.Issuer));
        Assert.True(e.IsValid, string.Join("; ", e.Failures));
        var ecNoKid = Es256(Ec1, "{\"alg\":\"ES256\"}", Claims(new { iss = issuer.Issuer, iat = Unix(time.Now), exp = Unix(time.Now.AddHours(1)) }));
        Assert.Equal("KeyNotFound", (await validator.ValidateAsync(ecNoKid)).Check(TokenCheckName.KeyMatch).Reason);

        // A key removed from the JWKS stops being accepted once the cache refreshes (within the refresh interval).
        issuer.Jwks = Jwks(Jwk(rsaK2, "k2"));
        time.Now = T0.AddHours(6);
        Assert.Equal("KeyNotFound", (await validator.ValidateAsync(Token(rekeyed, "k1", time.Now, issuer.Issuer))).Check(TokenCheckName.KeyMatch).Reason);

        // Down for longer than the last-known-good lifetime: keys are no longer trusted.
        issuer.Status = HttpStatusCode.ServiceUnavailable;
        time.Now = T0.AddHours(40);
        var stale = await validator.ValidateAsync(Token(rsaK2, "k2", time.Now, issuer.Issuer));
        Assert.Equal("KeySourceUnavailable", stale.Check(TokenCheckName.KeyMatch).Reason);
    }

    [Fact]
    public async Task Unreachable_issuer_without_cached_keys_is_a_result_not_an_exception()
    {
        using var issuer = new LoopbackIssuer { Status = HttpStatusCode.ServiceUnavailable };
        var validator = new TokenValidator(new OidcKeySource(issuer.DiscoveryUri), new TokenValidationOptions());
        var report = await validator.ValidateAsync(Token(Rsa1, "k1", DateTimeOffset.UtcNow, issuer.Issuer));
        Assert.False(report.IsValid);
        Assert.Equal("KeySourceUnavailable", report.Check(TokenCheckName.KeyMatch).Reason);
    }

    [Fact]
    public async Task Jwks_host_must_be_the_issuer_host_unless_allowed()
    {
        using var issuer = new LoopbackIssuer();
        issuer.Jwks = Jwks(Jwk(Rsa1, "k1"));
        issuer.JwksHost = $"localhost:{issuer.Port}";
        var pinned = new TokenValidator(new OidcKeySource(issuer.DiscoveryUri), new TokenValidationOptions());
        var report = await pinned.ValidateAsync(Token(Rsa1, "k1", DateTimeOffset.UtcNow, issuer.Issuer));
        Assert.Equal("KeySourceUnavailable", report.Check(TokenCheckName.KeyMatch).Reason);
        Assert.Contains("differs from the issuer host", report.Check(TokenCheckName.KeyMatch).Message);
        Assert.Equal(0, issuer.JwksRequests);

        var allowed = new TokenValidator(new OidcKeySource(issuer.DiscoveryUri, allowedJwksHosts: ["localhost"]), new TokenValidationOptions());
        Assert.True((await allowed.ValidateAsync(Token(Rsa1, "k1", DateTimeOffset.UtcNow, issuer.Issuer))).IsValid);
    }

    [Theory]
    [InlineData("http://issuer.example/.well-known/openid-configuration", false)]
    [InlineData("http://127.0.0.1:8080/.well-known/openid-configuration", true)]
    [InlineData("http://localhost:8080/.well-known/openid-configuration", true)]
    [InlineData("https://issuer.example/.well-known/openid-configuration", true)]
    public void Plain_http_only_for_loopback(string uri, bool allowed)
    {
        var ex = Record.Exception(() => new OidcKeySource(new Uri(uri)));
        Assert.Equal(allowed, ex is null);
    }

    [Fact]
    public void Templated_issuer_cannot_be_discovered()
    {
        Assert.Throws<ArgumentException>(() => OidcKeySource.DiscoveryUriFor("https://login.microsoftonline.com/{tenantid}/v2.0"));
        Assert.Equal("https://issuer.example/.well-known/openid-configuration", OidcKeySource.DiscoveryUriFor("https://issuer.example/").AbsoluteUri);
    }
}
