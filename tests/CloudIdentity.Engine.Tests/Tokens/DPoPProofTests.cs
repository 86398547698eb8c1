using System.Security.Cryptography;
using System.Text.Json;
using CloudIdentity.Engine.Tokens;
using CloudIdentity.Engine.Tokens.Dpop;
using static CloudIdentity.Engine.Tests.Tokens.TokenTestKit;

namespace CloudIdentity.Engine.Tests.Tokens;

/// <summary>RFC 9449 §4.3 checks, edge cases BR-34 (htu/htm) and BR-36 (jti replay), and the RFC's own examples.</summary>
public sealed class DPoPProofTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"cloudid-dpop-{Guid.NewGuid():N}", "replay.db");
    private readonly SqliteReplayStore _store;
    private readonly ManualTime _time = new(Now);

    public DPoPProofTests() => _store = new SqliteReplayStore(_db);

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_db)!, true);
    }

    private static string Proof(ECDsa key, string htm, string htu, DateTimeOffset iat, string? jti = "j-1", string? ath = null, string? nonce = null, string typ = "dpop+jwt")
    {
        var header = $"{{\"typ\":\"{typ}\",\"alg\":\"ES256\",\"jwk\":{Jwk(key)}}}";
        var claims = new Dictionary<string, object> { ["htm"] = htm, ["htu"] = htu, ["iat"] = Unix(iat) };
        if (jti is not null) claims["jti"] = jti;
        if (ath is not null) claims["ath"] = ath;
        if (nonce is not null) claims["nonce"] = nonce;
        return Es256(key, header, JsonSerializer.Serialize(claims));
    }

    private DPoPProofReport Check(string proof, string method = "GET", string uri = "https://api.example.com/v1/Items?x=1", string? accessToken = null, string? nonce = null) =>
        new DPoPProofValidator(_store, _time).Validate(proof, new DPoPValidationOptions { Method = method, Uri = uri, AccessToken = accessToken, Nonce = nonce });

    public static TheoryData<string, string, string, string, bool> Br34 => new()
    {
        { "H1", "https://api.example.com/v1/Items", "GET", "https://api.example.com/v1/Items?x=1", true },
        { "H2 host case and default port", "https://API.Example.COM:443/v1/Items", "GET", "https://api.example.com/v1/Items?x=1", true },
        { "H3 path case", "https://api.example.com/v1/items", "GET", "https://api.example.com/v1/Items?x=1", false },
        { "H4 trailing slash", "https://api.example.com/v1/Items/", "GET", "https://api.example.com/v1/Items?x=1", false },
        { "H5 %49 is I", "https://api.example.com/v1/%49tems", "GET", "https://api.example.com/v1/Items?x=1", true },
        { "H6 scheme", "http://api.example.com/v1/Items", "GET", "https://api.example.com/v1/Items?x=1", false },
        { "H7 port", "https://api.example.com:8443/v1/Items", "GET", "https://api.example.com/v1/Items?x=1", false },
        { "H8 query ignored", "https://api.example.com/v1/Items?x=2", "GET", "https://api.example.com/v1/Items?x=1", true },
        { "H9 method case", "https://api.example.com/v1/Items", "get", "https://api.example.com/v1/Items?x=1", false },
        { "H10 empty path is /", "https://api.example.com/", "GET", "https://api.example.com", true },
    };

    [Theory]
    [MemberData(nameof(Br34))]
    public void BR34_htu_and_htm(string name, string htu, string htm, string requestUri, bool accepted)
    {
        var report = Check(Proof(Ec1, htm, htu, Now, jti: name), "GET", requestUri);
        Assert.True(accepted == report.IsValid, name + ": " + string.Join("; ", report.Failures));
        if (!accepted) Assert.Single(report.Failures, f => f.Name is DPoPCheckName.Uri or DPoPCheckName.Method);
    }

    [Fact]
    public void BR36_J1_second_use_is_rejected()
    {
        var p = Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-1");
        Assert.True(Check(p).IsValid);
        _time.Advance(TimeSpan.FromSeconds(5));
        var again = Check(p);
        Assert.False(again.IsValid);
        Assert.Equal("Replayed", again.Check(DPoPCheckName.Replay).Reason);
    }

    [Fact]
    public void BR36_J2_query_changes_do_not_bypass_replay()
    {
        var p = Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-2");
        Assert.True(Check(p, uri: "https://api.example.com/v1/Items?a=1").IsValid);
        Assert.Equal("Replayed", Check(p, uri: "https://api.example.com/v1/Items?a=2").Check(DPoPCheckName.Replay).Reason);
    }

    [Fact]
    public void BR36_J3_same_jti_from_two_keys_is_accepted_twice()
    {
        Assert.True(Check(Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-3")).IsValid);
        Assert.True(Check(Proof(Ec2, "GET", "https://api.example.com/v1/Items", Now, "j-3")).IsValid);
    }

    [Fact]
    public void BR36_J4_entry_lives_until_iat_plus_window_plus_skew()
    {
        var p = Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now.AddSeconds(8), "j-4");
        Assert.True(Check(p).IsValid);
        _time.Advance(TimeSpan.FromSeconds(65));
        var replay = Check(p);
        Assert.False(replay.IsValid);
        Assert.Equal("Replayed", replay.Check(DPoPCheckName.Replay).Reason);
        Assert.Equal(CheckOutcome.Passed, replay.Check(DPoPCheckName.IssuedAt).Outcome); // iat is still inside the window
    }

    [Fact]
    public void BR36_J5_proof_without_jti_is_rejected()
    {
        var report = Check(Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, jti: null));
        Assert.False(report.IsValid);
        Assert.Equal("MissingClaim", report.Check(DPoPCheckName.TokenId).Reason);
    }

    [Fact]
    public void BR36_a_proof_failing_another_check_does_not_consume_its_jti()
    {
        const string accessToken = "eyJhbGciOiJFUzI1NiJ9.eyJjbmYiOnsiamt0IjoieCJ9fQ.c2ln";
        var bad = Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-6", ath: "wrong");
        Assert.Equal("AccessTokenHashMismatch", Check(bad, accessToken: accessToken).Check(DPoPCheckName.AccessTokenHash).Reason);
        var good = Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-6");
        Assert.True(Check(good).IsValid);
    }

    [Fact]
    public void Replay_store_survives_a_new_process_like_run()
    {
        var p = Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-7");
        Assert.True(Check(p).IsValid);
        using var reopened = new SqliteReplayStore(_db);
        var report = new DPoPProofValidator(reopened, _time).Validate(p, new DPoPValidationOptions { Method = "GET", Uri = "https://api.example.com/v1/Items" });
        Assert.Equal("Replayed", report.Check(DPoPCheckName.Replay).Reason);
    }

    [Fact]
    public void Access_token_binding_ath_and_cnf_jkt()
    {
        var jkt = SigningKey.FromJwk(JsonDocument.Parse(Jwk(Ec1)).RootElement).Thumbprint!;
        var accessToken = Rs256(Rsa1, "{\"alg\":\"RS256\"}", Claims(new { sub = "s", cnf = new { jkt } }));
        var ath = Base64Url.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(accessToken)));
        var report = Check(Proof(Ec1, "GET", "https://api.example.com/v1/Items", Now, "j-8", ath: ath), accessToken: accessToken);
        Assert.True(report.IsValid, string.Join("; ", report.Failures));
        Assert.Equal(jkt, report.KeyThumbprint);

        var otherKey = Check(Proof(Ec2, "GET", "https://api.example.com/v1/Items", Now, "j-9", ath: ath), accessToken: accessToken);
        Assert.Equal("KeyBindingMismatch", otherKey.Check(DPoPCheckName.KeyBinding).Reason);
    }

    [Theory]
    [InlineData("typ", "JWT", DPoPCheckName.Type, "WrongType")]
    [InlineData("nonce", "n-2", DPoPCheckName.Nonce, "NonceMismatch")]
    [InlineData("iat-old", "", DPoPCheckName.IssuedAt, "ProofTooOld")]
    [InlineData("iat-future", "", DPoPCheckName.IssuedAt, "ProofFromFuture")]
    public void Each_check_rejects_with_its_reason(string what, string value, DPoPCheckName check, string reason)
    {
        var iat = what == "iat-old" ? Now.AddSeconds(-61) : what == "iat-future" ? Now.AddSeconds(11) : Now;
        var proof = Proof(Ec1, "GET", "https://api.example.com/v1/Items", iat, "j-" + what,
            nonce: what == "nonce" ? value : null, typ: what == "typ" ? value : "dpop+jwt");
        var report = Check(proof, nonce: what == "nonce" ? "n-1" : null);
        Assert.False(report.IsValid);
        Assert.Equal(reason, report.Check(check).Reason);
    }

    [Fact]
    public void Private_or_symmetric_jwk_and_hmac_are_rejected()
    {
        var p = Ec1.ExportParameters(true);
        var header = $"{{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{Jwk(Ec1)[..^1]},\"d\":\"{Base64Url.Encode(p.D)}\"}}}}";
        var withPrivate = Es256(Ec1, header, Claims(new { htm = "GET", htu = "https://api.example.com/v1/Items", iat = Unix(Now), jti = "p" }));
        Assert.Equal("PrivateKeyInProof", Check(withPrivate).Check(DPoPCheckName.PublicKey).Reason);

        var hmac = Hs256(new byte[32], "{\"typ\":\"dpop+jwt\",\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}",
            Claims(new { htm = "GET", htu = "https://api.example.com/v1/Items", iat = Unix(Now), jti = "h" }));
        var r = Check(hmac);
        Assert.Equal("AlgorithmNotAllowed", r.Check(DPoPCheckName.Algorithm).Reason);
        Assert.Equal("PrivateKeyInProof", r.Check(DPoPCheckName.PublicKey).Reason);
    }

    [SkippableFact]
    public void Rfc9449_examples_verify_and_the_access_token_is_bound_to_the_proof_key()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(CorpusFile("jwt/dpop/rfc9449_examples.json")));
        var examples = doc.RootElement.GetProperty("examples").EnumerateArray().ToArray();
        var proof = examples[0].GetProperty("token").GetString()!;
        var iat = examples[0].GetProperty("decoded_payload").GetProperty("iat").GetInt64();
        var report = new DPoPProofValidator(_store).Validate(proof, new DPoPValidationOptions
        {
            Method = "POST", Uri = "https://server.example.com/token", At = DateTimeOffset.FromUnixTimeSeconds(iat),
        });
        Assert.True(report.IsValid, string.Join("; ", report.Failures));

        var boundToken = examples.First(e => e.GetProperty("decoded_payload").TryGetProperty("cnf", out _));
        var jkt = boundToken.GetProperty("decoded_payload").GetProperty("cnf").GetProperty("jkt").GetString();
        Assert.Equal(jkt, report.KeyThumbprint); // RFC 7638 thumbprint of the proof key, as the RFC computed it

        // Live (unpinned clock): the 2019 proof is far too old.
        var live = new DPoPProofValidator(_store).Validate(proof, new DPoPValidationOptions { Method = "POST", Uri = "https://server.example.com/token" });
        Assert.Equal("ProofTooOld", live.Check(DPoPCheckName.IssuedAt).Reason);
    }

    [Theory]
    [InlineData("https://a.example/x/./y/../z", "https://a.example/x/z")]
    [InlineData("HTTPS://A.EXAMPLE:443", "https://a.example/")]
    [InlineData("http://a.example:80/p%2fq", "http://a.example/p%2Fq")]
    [InlineData("https://a.example/p#frag", "https://a.example/p")]
    [InlineData("https://user@a.example/p", null)]
    [InlineData("ftp://a.example/p", null)]
    public void Htu_normalization(string input, string? expected) => Assert.Equal(expected, HtuNormalizer.Normalize(input));
}
