using System.Text.Json;

namespace CloudIdentity.Engine.Tokens.Dpop;

/// <summary>The request a proof must match, and the acceptance policy.</summary>
public sealed class DPoPValidationOptions
{
    public required string Method { get; init; }
    public required string Uri { get; init; }
    /// <summary>The access token sent with the proof: enables the <c>ath</c> and <c>cnf.jkt</c> checks.</summary>
    public string? AccessToken { get; init; }
    /// <summary>The nonce the server required; null when none is required.</summary>
    public string? Nonce { get; init; }
    /// <summary>How old a proof's <c>iat</c> may be.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How far in the future a proof's <c>iat</c> may be (client clock ahead).</summary>
    public TimeSpan FutureSkew { get; init; } = TimeSpan.FromSeconds(10);
    public IReadOnlyList<string>? Algorithms { get; init; }
    public DateTimeOffset? At { get; init; }
    /// <summary>False: look the jti up but do not record it (WhatIf).</summary>
    public bool RecordProof { get; init; } = true;
    public int MaxTokenIdLength { get; init; } = 256;
}

/// <summary>Checks a DPoP proof JWT as RFC 9449 §4.3 lists, with a persistent jti replay store.</summary>
public sealed class DPoPProofValidator(IReplayStore replayStore, TimeProvider? time = null)
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DPoPProofReport Validate(string proof, DPoPValidationOptions options)
    {
        var now = options.At ?? _time.GetUtcNow();
        var checks = new Dictionary<DPoPCheckName, DPoPCheck>();
        void Set(DPoPCheckName n, CheckOutcome o, string r, string m) => checks[n] = new DPoPCheck(n, o, r, m);
        string? thumbprint = null, jti = null, htm = null, htu = null;
        DateTimeOffset? iat = null;
        var recorded = false;
        JsonElement claims = default;
        CompactJws? jws = null;

        if (!CompactJws.TryParse(proof, out jws, out var reason, out var message) || !TryClaims(jws!, out claims))
        {
            Set(DPoPCheckName.Format, CheckOutcome.Failed, jws is null ? reason : "MalformedClaims", jws is null ? message : "The payload is not a JSON object.");
            return Finish();
        }
        Set(DPoPCheckName.Format, CheckOutcome.Passed, "Ok", "A compact JWS with a JSON claim set.");

        var typ = jws!.Type;
        if (string.Equals(typ, "dpop+jwt", StringComparison.OrdinalIgnoreCase)) Set(DPoPCheckName.Type, CheckOutcome.Passed, "Ok", "typ is dpop+jwt.");
        else Set(DPoPCheckName.Type, CheckOutcome.Failed, "WrongType", $"typ is '{typ ?? "(absent)"}', not 'dpop+jwt'.");

        var alg = JwsAlgorithm.Find(jws.Algorithm);
        var allowed = options.Algorithms ?? JwsAlgorithm.DefaultAllowed;
        if (alg is null || alg.IsSymmetric || !allowed.Contains(alg.Name, StringComparer.Ordinal))
        {
            Set(DPoPCheckName.Algorithm, CheckOutcome.Failed, "AlgorithmNotAllowed", $"'{jws.Algorithm ?? "(absent)"}' is not an allowed asymmetric algorithm.");
            alg = null;
        }
        else Set(DPoPCheckName.Algorithm, CheckOutcome.Passed, "Ok", $"{alg.Name} is an allowed asymmetric algorithm.");

        SigningKey? key = null;
        if (!jws.Header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
            Set(DPoPCheckName.PublicKey, CheckOutcome.Failed, "MissingKey", "The header has no 'jwk' object.");
        else if (PrivateMembers.Any(m => jwk.TryGetProperty(m, out _)))
            Set(DPoPCheckName.PublicKey, CheckOutcome.Failed, "PrivateKeyInProof", "The 'jwk' header holds private or symmetric key material.");
        else
        {
            key = SigningKey.FromJwk(jwk);
            var why = key.Problem ?? (alg is null ? null : key.UnfitFor(alg));
            if (why is not null) { Set(DPoPCheckName.PublicKey, CheckOutcome.Failed, "KeyUnusable", why); key = null; }
            else
            {
                thumbprint = key.Thumbprint;
                Set(DPoPCheckName.PublicKey, CheckOutcome.Passed, "Ok", $"Public {key.KeyType} key, thumbprint {thumbprint}.");
            }
        }

        if (key is null || alg is null) Set(DPoPCheckName.Signature, CheckOutcome.Skipped, "NotAttempted", "No usable key or algorithm.");
        else if (key.Verify(alg, jws.SigningInput(), jws.Signature)) Set(DPoPCheckName.Signature, CheckOutcome.Passed, "Ok", "The signature verifies with the embedded key.");
        else Set(DPoPCheckName.Signature, CheckOutcome.Failed, "InvalidSignature", "The signature does not verify with the embedded key.");

        htm = JsonValues.GetString(claims, "htm");
        if (htm is null) Set(DPoPCheckName.Method, CheckOutcome.Failed, "MissingClaim", "No 'htm' claim.");
        else if (string.Equals(htm, options.Method, StringComparison.Ordinal)) Set(DPoPCheckName.Method, CheckOutcome.Passed, "Ok", $"htm {htm} matches.");
        else Set(DPoPCheckName.Method, CheckOutcome.Failed, "MethodMismatch", $"htm '{htm}' is not the request method '{options.Method}' (method names are case-sensitive).");

        htu = JsonValues.GetString(claims, "htu");
        var wanted = HtuNormalizer.Normalize(options.Uri);
        var got = HtuNormalizer.Normalize(htu);
        if (htu is null) Set(DPoPCheckName.Uri, CheckOutcome.Failed, "MissingClaim", "No 'htu' claim.");
        else if (got is null) Set(DPoPCheckName.Uri, CheckOutcome.Failed, "MalformedUri", "htu is not an absolute http(s) URI.");
        else if (got == wanted) Set(DPoPCheckName.Uri, CheckOutcome.Passed, "Ok", $"htu matches {wanted}.");
        else Set(DPoPCheckName.Uri, CheckOutcome.Failed, "UriMismatch", $"htu normalizes to {got}, the request to {wanted}.");

        if (!ClaimChecks.TryNumericDate(claims, "iat", out iat) || iat is null)
            Set(DPoPCheckName.IssuedAt, CheckOutcome.Failed, "MissingClaim", "No numeric 'iat' claim.");
        else if (iat < now - options.MaxAge) Set(DPoPCheckName.IssuedAt, CheckOutcome.Failed, "ProofTooOld", $"iat {iat:u} is more than {options.MaxAge.TotalSeconds:0} s before {now:u}.");
        else if (iat > now + options.FutureSkew) Set(DPoPCheckName.IssuedAt, CheckOutcome.Failed, "ProofFromFuture", $"iat {iat:u} is more than {options.FutureSkew.TotalSeconds:0} s after {now:u}.");
        else Set(DPoPCheckName.IssuedAt, CheckOutcome.Passed, "Ok", $"iat {iat:u} is inside the window.");

        jti = JsonValues.GetString(claims, "jti");
        if (string.IsNullOrEmpty(jti)) Set(DPoPCheckName.TokenId, CheckOutcome.Failed, "MissingClaim", "No 'jti' claim.");
        else if (jti.Length > options.MaxTokenIdLength) Set(DPoPCheckName.TokenId, CheckOutcome.Failed, "TokenIdTooLong", $"jti is longer than {options.MaxTokenIdLength} characters.");
        else Set(DPoPCheckName.TokenId, CheckOutcome.Passed, "Ok", "jti present.");

        var ath = JsonValues.GetString(claims, "ath");
        if (options.AccessToken is null) Set(DPoPCheckName.AccessTokenHash, CheckOutcome.NotApplicable, "NoAccessToken", "No access token was given.");
        else if (ath is null) Set(DPoPCheckName.AccessTokenHash, CheckOutcome.Failed, "MissingClaim", "No 'ath' claim although an access token is presented.");
        else if (ath == Base64Url.Sha256(options.AccessToken)) Set(DPoPCheckName.AccessTokenHash, CheckOutcome.Passed, "Ok", "ath is the hash of the access token.");
        else Set(DPoPCheckName.AccessTokenHash, CheckOutcome.Failed, "AccessTokenHashMismatch", "ath is not the base64url SHA-256 of the access token.");

        var nonce = JsonValues.GetString(claims, "nonce");
        if (options.Nonce is null) Set(DPoPCheckName.Nonce, CheckOutcome.NotApplicable, "NotRequired", "No nonce is required.");
        else if (nonce is null) Set(DPoPCheckName.Nonce, CheckOutcome.Failed, "MissingNonce", "A nonce is required (use_dpop_nonce) and the proof has none.");
        else if (nonce == options.Nonce) Set(DPoPCheckName.Nonce, CheckOutcome.Passed, "Ok", "The nonce matches.");
        else Set(DPoPCheckName.Nonce, CheckOutcome.Failed, "NonceMismatch", "The nonce is not the one the server issued.");

        if (options.AccessToken is null) Set(DPoPCheckName.KeyBinding, CheckOutcome.NotApplicable, "NoAccessToken", "No access token was given.");
        else Set(DPoPCheckName.KeyBinding, BindingOutcome(options.AccessToken, thumbprint, out var r, out var m), r, m);

        // The jti is consumed only when every other check passed, so a bad proof cannot burn a good proof's id.
        if (jti is null || thumbprint is null || checks[DPoPCheckName.TokenId].Outcome == CheckOutcome.Failed)
            Set(DPoPCheckName.Replay, CheckOutcome.Skipped, "NotAttempted", "No usable jti or key.");
        else
        {
            var others = checks.Values.All(c => c.Outcome != CheckOutcome.Failed);
            var expires = (iat ?? now) + options.MaxAge + options.FutureSkew;
            if (replayStore.Contains(thumbprint, jti, now))
                Set(DPoPCheckName.Replay, CheckOutcome.Failed, "Replayed", $"jti was already used with this key.");
            else if (!others)
                Set(DPoPCheckName.Replay, CheckOutcome.Skipped, "NotRecorded", "Not recorded: another check failed.");
            else if (!options.RecordProof)
                Set(DPoPCheckName.Replay, CheckOutcome.Passed, "NotRecorded", "Not seen before (not recorded: WhatIf).");
            else if (replayStore.TryAdd(thumbprint, jti, expires, now))
            {
                recorded = true;
                Set(DPoPCheckName.Replay, CheckOutcome.Passed, "Ok", $"Not seen before; remembered until {expires:u}.");
            }
            else Set(DPoPCheckName.Replay, CheckOutcome.Failed, "Replayed", "jti was already used with this key.");
        }
        return Finish();

        DPoPProofReport Finish()
        {
            var all = Enum.GetValues<DPoPCheckName>().Select(n => checks.TryGetValue(n, out var c) ? c
                : new DPoPCheck(n, CheckOutcome.Skipped, "NotEvaluated", "Not evaluated: the proof could not be read.")).ToArray();
            return new DPoPProofReport
            {
                IsValid = all.All(c => c.Outcome != CheckOutcome.Failed) && all.First(c => c.Name == DPoPCheckName.Signature).Outcome == CheckOutcome.Passed,
                Checks = all,
                ValidatedAt = now,
                ProofPreview = TokenMask.Mask(proof),
                KeyThumbprint = thumbprint,
                Algorithm = jws?.Algorithm,
                TokenId = jti,
                HttpMethod = htm,
                HttpUri = htu,
                IssuedAt = iat,
                Recorded = recorded,
                Header = jws is null ? new Dictionary<string, object?>() : JsonValues.ToDictionary(jws.Header),
                Claims = claims.ValueKind == JsonValueKind.Object ? JsonValues.ToDictionary(claims) : new Dictionary<string, object?>(),
            };
        }
    }

    private static CheckOutcome BindingOutcome(string accessToken, string? thumbprint, out string reason, out string message)
    {
        if (!CompactJws.TryParse(accessToken, out var at, out _, out _) || !TryClaims(at!, out var claims))
        {
            reason = "AccessTokenUnreadable"; message = "The access token is not a JWT, so cnf.jkt cannot be read (use introspection).";
            return CheckOutcome.Failed;
        }
        var jkt = claims.TryGetProperty("cnf", out var cnf) ? JsonValues.GetString(cnf, "jkt") : null;
        if (jkt is null) { reason = "AccessTokenNotBound"; message = "The access token has no cnf.jkt: it is not DPoP-bound."; return CheckOutcome.Failed; }
        if (thumbprint is not null && jkt == thumbprint) { reason = "Ok"; message = "cnf.jkt equals the proof key's thumbprint."; return CheckOutcome.Passed; }
        reason = "KeyBindingMismatch"; message = "cnf.jkt is not the proof key's thumbprint: the token is bound to another key.";
        return CheckOutcome.Failed;
    }

    private static bool TryClaims(CompactJws jws, out JsonElement claims)
    {
        claims = default;
        try
        {
            using var doc = JsonDocument.Parse(jws.Payload);
            claims = doc.RootElement.Clone();
            return claims.ValueKind == JsonValueKind.Object && !JsonValues.HasDuplicateMembers(claims);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
