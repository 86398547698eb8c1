using System.Security.Cryptography;
using System.Text;
using CloudIdentity.Engine.Tokens;
using static CloudIdentity.Engine.Tests.Tokens.TokenTestKit;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>Edge cases BR-27, BR-28, BR-29 and BR-32 from ../shared/cases/edge-cases.md, with their right values.</summary>
public sealed class TokenEdgeCaseTests
{
    private const string Br27Payload = "eyJzdWIiOiJ1c2VyLVBMQUNFSE9MREVSIiwiYXVkIjoiYXBpOi8vZXhhbXBsZS1hcGkiLCJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiZXhwIjo0MTAyNDQ0ODAwfQ";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Br27UnsignedTokens => new()
    {
        { "none", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + Br27Payload + "." },
        { "None", "eyJhbGciOiJOb25lIiwidHlwIjoiSldUIn0." + Br27Payload + "." },
        { "NONE", "eyJhbGciOiJOT05FIiwidHlwIjoiSldUIn0." + Br27Payload + "." },
        { "nOnE", "eyJhbGciOiJuT25FIiwidHlwIjoiSldUIn0." + Br27Payload + "." },
    };

    [Theory]
    [MemberData(nameof(Br27UnsignedTokens))]
    public void BR27_none_in_any_casing_is_rejected_before_signature_math(string casing, string token)
    {
        var report = Validate(token, Set(Jwk(Rsa1, "k1")), new TokenValidationOptions { Algorithms = ["RS256"] });
        Assert.False(report.IsValid);
        Assert.Equal(casing, report.Algorithm);
        Assert.Equal("AlgorithmNotAllowed", report.Check(TokenCheckName.Algorithm).Reason);
        Assert.StartsWith("Algorithm not allowed", report.Check(TokenCheckName.Algorithm).Message);
        Assert.Equal(CheckOutcome.Skipped, report.Check(TokenCheckName.Signature).Outcome);
        Assert.DoesNotContain("InvalidSignature", report.FailureReasons);
        Assert.Equal(IndicatorSeverity.Critical, report.Indicators.Single(i => i.Id == "AlgNone").Severity);
    }

    [Fact]
    public void BR27_HS256_signed_with_the_public_key_bytes_is_rejected_as_algorithm_not_allowed_and_key_confusion()
    {
        var spki = Encoding.ASCII.GetBytes(Rsa1.ExportSubjectPublicKeyInfoPem());
        var payload = Encoding.UTF8.GetString(Base64Url.Decode(Br27Payload));
        var ths = Hs256(spki, "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}", payload);
        var keys = Set(Jwk(Rsa1, "k1"));

        var report = Validate(ths, keys, new TokenValidationOptions { Algorithms = ["RS256"] });
        Assert.False(report.IsValid);
        Assert.Equal("AlgorithmNotAllowed", report.Check(TokenCheckName.Algorithm).Reason);
        Assert.Equal(CheckOutcome.Skipped, report.Check(TokenCheckName.Signature).Outcome);

        // Even when a careless policy allows HS256, an RSA key never acts as an HMAC secret.
        var lax = Validate(ths, keys, new TokenValidationOptions { Algorithms = ["RS256", "HS256"] });
        Assert.False(lax.IsValid);
        Assert.Equal("KeyConfusion", lax.Check(TokenCheckName.KeyMatch).Reason);
        Assert.Equal(CheckOutcome.Skipped, lax.Check(TokenCheckName.Signature).Outcome);
        Assert.Equal(IndicatorSeverity.Critical, lax.Indicators.Single(i => i.Id == "HmacKeyConfusion").Severity);
    }

    public static TheoryData<string, string, bool, string?> Br28Headers => new()
    {
        { "1 unknown extension", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"exp-policy\"],\"exp-policy\":\"strict\"}", false, "UnknownCriticalHeader" },
        { "2 empty list", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[]}", false, "EmptyCritical" },
        { "3 registered name", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"alg\"]}", false, "RegisteredHeaderInCritical" },
        { "4 duplicate", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x-policy\",\"x-policy\"],\"x-policy\":\"v1\"}", false, "DuplicateCritical" },
        { "5 listed but absent", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x-policy\"]}", false, "CriticalHeaderMissing" },
        { "6 understood and present", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x-policy\"],\"x-policy\":\"v1\"}", true, null },
    };

    [Theory]
    [MemberData(nameof(Br28Headers))]
    public void BR28_crit_header(string name, string header, bool accepted, string? reason)
    {
        var token = Rs256(Rsa1, header, ValidClaims());
        var report = Validate(token, Set(Jwk(Rsa1, "k1")), new TokenValidationOptions { AllowedCriticalHeaders = ["x-policy"] }, new ManualTime(Now));
        Assert.True(accepted == report.IsValid, name + ": " + string.Join("; ", report.Failures));
        Assert.Equal(CheckOutcome.Passed, report.Check(TokenCheckName.Signature).Outcome); // the signature itself is fine
        if (reason is not null) Assert.Equal(reason, report.Check(TokenCheckName.CriticalHeaders).Reason);
    }

    public static TheoryData<string, string, bool, string?> Br29Audiences => new()
    {
        { "1 string", "\"aud\":\"api://00000000-0000-0000-0000-0000000000a1\",", true, null },
        { "2 array member", "\"aud\":[\"api://other\",\"api://00000000-0000-0000-0000-0000000000a1\"],", true, null },
        { "3 no member matches", "\"aud\":[\"api://other\"],", false, "AudienceMismatch" },
        { "4 empty", "\"aud\":[],", false, "EmptyAudience" },
        { "5 case differs", "\"aud\":\"API://00000000-0000-0000-0000-0000000000A1\",", false, "AudienceMismatch" },
        { "6 missing", "", false, "MissingAudience" },
        { "7 nested array", "\"aud\":[[\"api://00000000-0000-0000-0000-0000000000a1\"]],", false, "MalformedAudience" },
        { "8 number", "\"aud\":123,", false, "MalformedAudience" },
    };

    [Theory]
    [MemberData(nameof(Br29Audiences))]
    public void BR29_aud_string_or_array_case_sensitive(string name, string audMember, bool accepted, string? reason)
    {
        var payload = "{" + audMember + $"\"iss\":\"https://issuer.example\",\"iat\":{Unix(Now)},\"exp\":{Unix(Now.AddHours(1))}}}";
        var token = Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload);
        var report = Validate(token, Set(Jwk(Rsa1, "k1")), new TokenValidationOptions { Audiences = ["api://00000000-0000-0000-0000-0000000000a1"] }, new ManualTime(Now));
        Assert.True(accepted == report.IsValid, name + ": " + string.Join("; ", report.Failures));
        if (reason is not null) Assert.Equal(reason, report.Check(TokenCheckName.Audience).Reason);
    }

    private const string T = "00000000-0000-0000-0000-0000000000aa";
    private const string U = "00000000-0000-0000-0000-0000000000bb";
    private const string X = "00000000-0000-0000-0000-0000000000cc";

    public static TheoryData<string, string, string, bool, string?> Br32Issuers => new()
    {
        { "1 v1 issuer", $"https://sts.windows.net/{T}/", T, true, null },
        { "2 v2 issuer", $"https://login.microsoftonline.com/{T}/v2.0", T, true, null },
        { "3 trailing slash differs", $"https://login.microsoftonline.com/{T}/v2.0/", T, false, "IssuerMismatch" },
        { "4 second allowed tenant", $"https://login.microsoftonline.com/{U}/v2.0", U, true, null },
        { "5 tenant not allowed", $"https://login.microsoftonline.com/{X}/v2.0", X, false, "TenantNotAllowed" },
        { "6 tid differs from iss", $"https://login.microsoftonline.com/{U}/v2.0", X, false, "TenantMismatch" },
        { "7 literal template", "https://login.microsoftonline.com/{tenantid}/v2.0", T, false, "TemplateInToken" },
        { "8 common", "https://login.microsoftonline.com/common/v2.0", T, false, "IssuerMismatch" },
    };

    [Theory]
    [MemberData(nameof(Br32Issuers))]
    public void BR32_entra_issuers_and_tid_binding(string name, string iss, string tid, bool accepted, string? reason)
    {
        var check = IssuerMatcher.Check(iss, tid,
            ["https://login.microsoftonline.com/{tenantid}/v2.0", "https://sts.windows.net/{tenantid}/"], [T, U]);
        Assert.True(accepted == (check.Outcome == CheckOutcome.Passed), name + ": " + check.Message);
        if (reason is not null) Assert.Equal(reason, check.Reason);

        // And end to end through the validator, on a signed token.
        var token = Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", Claims(new { iss, tid, ver = iss.Contains("sts.") ? "1.0" : "2.0", iat = Unix(Now), exp = Unix(Now.AddHours(1)) }));
        var report = Validate(token, Set(Jwk(Rsa1, "k1")), new TokenValidationOptions
        {
            Issuers = IssuerMatcher.EntraTemplates(), TenantIds = [T, U],
        }, new ManualTime(Now));
        Assert.Equal(accepted, report.IsValid);
    }

    [Fact]
    public void BR32_any_tenant_only_when_explicit()
    {
        var iss = $"https://login.microsoftonline.com/{X}/v2.0";
        Assert.Equal("TenantNotAllowed", IssuerMatcher.Check(iss, X, IssuerMatcher.EntraTemplates(), []).Reason);
        Assert.Equal(CheckOutcome.Passed, IssuerMatcher.Check(iss, X, IssuerMatcher.EntraTemplates(), ["*"]).Outcome);
    }

    [Fact]
    public void BR32_template_without_trailing_slash_matches_exactly()
    {
        Assert.Equal(CheckOutcome.Passed, IssuerMatcher.Check($"https://sts.windows.net/{T}", T, ["https://sts.windows.net/{tenantid}"], [T]).Outcome);
    }

    [Fact]
    public void BR32_authority_with_trailing_slash_does_not_double_the_slash()
    {
        Assert.Equal("https://login.microsoftonline.com/{tenantid}/v2.0", IssuerMatcher.EntraTemplates("https://login.microsoftonline.com/")[0]);
        Assert.DoesNotContain("//" + T, IssuerMatcher.Fill(IssuerMatcher.EntraTemplates("https://login.microsoftonline.com/")[0], T)[8..]);
    }

    [Fact]
    public void Entra_key_issuer_binding_is_enforced()
    {
        var bound = Jwk(Rsa1, "k1", ",\"issuer\":\"https://login.microsoftonline.com/{tenantid}/v2.0\"");
        var otherTenant = Jwk(Rsa2, "k2", ",\"issuer\":\"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0\"");
        var options = new TokenValidationOptions { Issuers = IssuerMatcher.EntraTemplates(), TenantIds = ["*"] };
        var claims = Claims(new { iss = $"https://login.microsoftonline.com/{T}/v2.0", tid = T, iat = Unix(Now), exp = Unix(Now.AddHours(1)) });

        var good = Validate(Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims), Set(bound, otherTenant), options, new ManualTime(Now));
        Assert.True(good.IsValid, string.Join("; ", good.Failures));

        var foreign = Validate(Rs256(Rsa2, "{\"alg\":\"RS256\",\"kid\":\"k2\"}", claims), Set(bound, otherTenant), options, new ManualTime(Now));
        Assert.False(foreign.IsValid);
        Assert.Equal("KeyNotBoundToIssuer", foreign.Check(TokenCheckName.KeyMatch).Reason);
        Assert.Equal(CheckOutcome.Passed, foreign.Check(TokenCheckName.Signature).Outcome);
        Assert.Equal(IndicatorSeverity.High, foreign.Indicators.Single(i => i.Id == "KeyNotBoundToIssuer").Severity);
    }

    [Fact]
    public void All_checks_are_reported_not_only_the_first_failure()
    {
        var token = Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"dpop+jwt\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}",
            Claims(new { iss = "https://evil.example", aud = "x", iat = Unix(Now.AddHours(2)), nbf = Unix(Now.AddHours(2)), exp = Unix(Now.AddDays(30)) }));
        var report = Validate(token, Set(Jwk(Rsa1, "k1")), new TokenValidationOptions
        {
            Issuers = ["https://issuer.example"], Audiences = ["api://a"], RequiredClaims = ["sub"],
        }, new ManualTime(Now));
        Assert.False(report.IsValid);
        Assert.Equal(Enum.GetValues<TokenCheckName>().Length, report.Checks.Count);
        Assert.Equal(["Type", "Issuer", "Audience", "NotBefore", "IssuedAt", "Lifetime", "RequiredClaims"], report.Failures.Select(f => f.Name.ToString()).ToArray());
        Assert.Equal(CheckOutcome.Passed, report.Check(TokenCheckName.Signature).Outcome);
        Assert.True(report.HasIndicator("EmbeddedJwk"));
        Assert.True(report.HasIndicator("IssuedInFuture"));
        Assert.True(report.HasIndicator("NotBeforeInFuture"));
        Assert.True(report.HasIndicator("LifetimeAbovePolicy"));
    }

    [Fact]
    public void Unknown_kid_and_tampering_are_flagged()
    {
        var keys = Set(Jwk(Rsa1, "k1"));
        var unknown = Validate(Rs256(Rsa2, "{\"alg\":\"RS256\",\"kid\":\"k9\"}", ValidClaims()), keys, null, new ManualTime(Now));
        Assert.Equal("KeyNotFound", unknown.Check(TokenCheckName.KeyMatch).Reason);
        Assert.StartsWith("Key not found", unknown.Check(TokenCheckName.KeyMatch).Message);
        Assert.True(unknown.HasIndicator("UnknownKeyId"));

        var token = Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", ValidClaims());
        var parts = token.Split('.');
        var forgedClaims = Base64Url.Encode(Encoding.UTF8.GetBytes(ValidClaims().Replace("user-1", "admin")));
        var tampered = Validate($"{parts[0]}.{forgedClaims}.{parts[2]}", keys, null, new ManualTime(Now));
        Assert.Equal("InvalidSignature", tampered.Check(TokenCheckName.Signature).Reason);
        Assert.True(Validate(token, keys, null, new ManualTime(Now)).IsValid);
    }

    [Fact]
    public void At_validates_as_of_a_past_moment_and_expiry_uses_the_clock_skew()
    {
        var keys = Set(Jwk(Rsa1, "k1"));
        var token = Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", ValidClaims());
        var later = new ManualTime(Now.AddHours(1).AddMinutes(4));
        Assert.True(Validate(token, keys, null, later).IsValid); // inside the default 5-minute skew
        Assert.Equal("Expired", Validate(token, keys, new TokenValidationOptions { ClockSkew = TimeSpan.Zero }, later).Check(TokenCheckName.Expiry).Reason);
        Assert.True(Validate(token, keys, new TokenValidationOptions { ClockSkew = TimeSpan.Zero, At = Now.AddMinutes(30) }, later).IsValid);
    }

    [Fact]
    public void Retired_key_is_flagged_from_the_local_history()
    {
        var store = Path.Combine(Path.GetTempPath(), "cloudid-history-" + Guid.NewGuid().ToString("N"));
        try
        {
            var history = new SigningKeyHistory(store);
            history.Save("https://issuer.example", Jwks(Jwk(Rsa1, "k1")), Now.AddDays(-30));
            history.Save("https://issuer.example", Jwks(Jwk(Rsa2, "k2")), Now.AddDays(-10)); // k1 is gone by then
            var options = new TokenValidationOptions { Issuers = ["https://issuer.example"], KeyHistory = history };
            var stolen = Rs256(Rsa1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", ValidClaims());
            var report = Validate(stolen, Set(Jwk(Rsa1, "k1")), options, new ManualTime(Now));
            Assert.False(report.IsValid);
            Assert.Equal("KeyRetiredBeforeIssued", report.Check(TokenCheckName.KeyMatch).Reason);
            Assert.Equal(IndicatorSeverity.High, report.Indicators.Single(i => i.Id == "KeyRetiredBeforeIssued").Severity);

            var fresh = Rs256(Rsa2, "{\"alg\":\"RS256\",\"kid\":\"k2\"}", ValidClaims());
            Assert.True(Validate(fresh, Set(Jwk(Rsa2, "k2")), options, new ManualTime(Now)).IsValid);
        }
        finally
        {
            Directory.Delete(store, true);
        }
    }

    [SkippableFact]
    public void Entra_history_snapshots_show_key_retirement()
    {
        var folder = CorpusFile("jwt/oidc-discovery/entra-common/history");
        var store = Path.Combine(Path.GetTempPath(), "cloudid-history-" + Guid.NewGuid().ToString("N"));
        try
        {
            var history = new SigningKeyHistory(store);
            foreach (var file in Directory.GetFiles(folder, "jwks_*.json").Order())
            {
                var date = DateTimeOffset.Parse(Path.GetFileName(file)[5..15] + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
                history.Save("entra-common", File.ReadAllText(file), date);
            }
            Assert.Equal(4, history.Load("entra-common").Count);
            var keys = SigningKeySet.Parse(File.ReadAllText(Path.Combine(folder, "jwks_2024-06-05_6ddf0dfb.json")), "2024-06-05");
            var key = keys.WithKeyId("q-23falevZhhD3hm9CQbkP5MQyU").Single();
            var retired = history.FindRetirement("entra-common", key.KeyId, key.Thumbprint!);
            Assert.NotNull(retired);
            Assert.Equal(new DateTimeOffset(2024, 6, 5, 0, 0, 0, TimeSpan.Zero), retired.LastSeen);
            Assert.Equal(new DateTimeOffset(2024, 9, 3, 0, 0, 0, TimeSpan.Zero), retired.RetiredBy);
            var current = SigningKeySet.Parse(File.ReadAllText(Path.Combine(folder, "jwks_2024-10-26_e24bb39c.json")), "2024-10-26").Keys[0];
            Assert.Null(history.FindRetirement("entra-common", current.KeyId, current.Thumbprint!));
        }
        finally
        {
            Directory.Delete(store, true);
        }
    }

    private static string ValidClaims() =>
        Claims(new { iss = "https://issuer.example", sub = "user-1", aud = "api://a", iat = Unix(Now), exp = Unix(Now.AddHours(1)) });
}
