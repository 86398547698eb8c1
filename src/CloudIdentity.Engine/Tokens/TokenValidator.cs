using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>
/// Validates a JWS-compact JWT and reports every check, not only the first failure. The token's own key hints
/// (<c>jku</c>, <c>x5u</c>, embedded <c>jwk</c>) are never followed; <c>x5c</c> is used only when it chains to a supplied root.
/// </summary>
public sealed class TokenValidator(ISigningKeySource keySource, TokenValidationOptions options, TimeProvider? time = null)
{
    private static readonly HashSet<string> RegisteredHeaders = new(StringComparer.Ordinal)
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    };

    private static readonly string[] DefaultTypes = ["jwt", "at+jwt"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly IReadOnlyList<string> _allowed = options.Algorithms ?? JwsAlgorithm.DefaultAllowed;

    public TokenValidationOptions Options => options;

    public TokenValidationReport Validate(string token, CancellationToken cancellationToken = default)
    {
        var pending = ValidateAsync(token, cancellationToken);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public async ValueTask<TokenValidationReport> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        var run = new Run(token, options.At ?? _time.GetUtcNow());
        if (!CompactJws.TryParse(token, out var jws, out var reason, out var message))
        {
            run.Set(TokenCheckName.Format, CheckOutcome.Failed, reason, message);
            return run.Finish(null, null, keySource.Description);
        }
        JsonElement claims = default;
        if (options.PayloadIsClaimSet && !TryParseClaims(jws!.Payload, out claims, out message))
        {
            run.Set(TokenCheckName.Format, CheckOutcome.Failed, "MalformedClaims", message);
            return run.Finish(jws, null, keySource.Description);
        }
        run.Set(TokenCheckName.Format, CheckOutcome.Passed, "Ok", "Three strict base64url parts with a JSON header" + (options.PayloadIsClaimSet ? " and claim set." : "."));
        var hasClaims = options.PayloadIsClaimSet;

        HeaderIndicators(jws!, run);
        var alg = CheckAlgorithm(jws!, run);
        CheckCritical(jws!, run);
        CheckType(jws!, run);

        if (alg is not null)
        {
            await CheckKeyAndSignatureAsync(jws!, alg, hasClaims ? claims : null, run, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            run.Set(TokenCheckName.KeyMatch, CheckOutcome.Skipped, "NotAttempted", "Not attempted: the algorithm is not allowed.");
            run.Set(TokenCheckName.Signature, CheckOutcome.Skipped, "NotAttempted", "No signature math was done: the algorithm is not allowed.");
        }

        if (hasClaims) CheckClaims(claims, run);
        return run.Finish(jws, hasClaims ? claims : null, keySource.Description);
    }

    private static bool TryParseClaims(byte[] payload, out JsonElement claims, out string message)
    {
        claims = default;
        message = "";
        try
        {
            using var doc = JsonDocument.Parse(payload);
            claims = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            message = "The payload is not a JSON claim set.";
            return false;
        }
        if (claims.ValueKind != JsonValueKind.Object) { message = "The payload is not a JSON object."; return false; }
        if (JsonValues.HasDuplicateMembers(claims)) { message = "The claim set repeats a claim name."; return false; }
        return true;
    }

    private static void HeaderIndicators(CompactJws jws, Run run)
    {
        if (jws.HasHeader("jwk"))
            run.Indicate("EmbeddedJwk", IndicatorSeverity.High, "The token carries its own public key ('jwk' header); it was ignored, never trusted.");
        foreach (var h in new[] { "jku", "x5u" })
        {
            if (jws.HasHeader(h))
                run.Indicate("UntrustedKeyUrl", IndicatorSeverity.Medium, $"The token points at its own key location ('{h}'); it was not followed.");
        }
    }

    private JwsAlgorithm? CheckAlgorithm(CompactJws jws, Run run)
    {
        const TokenCheckName n = TokenCheckName.Algorithm;
        if (!jws.Header.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            run.Set(n, CheckOutcome.Failed, "MissingAlgorithm", "The header has no string 'alg'.");
            return null;
        }
        var name = algElement.GetString()!;
        if (name.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            run.Indicate("AlgNone", IndicatorSeverity.Critical, $"The token claims to be unsigned (alg '{name}').");
            run.Set(n, CheckOutcome.Failed, "AlgorithmNotAllowed", name == "none"
                ? "Algorithm not allowed: 'none' (an unsigned token) is never accepted."
                : $"Algorithm not allowed: '{name}' is not a known algorithm (names are case-sensitive) and is never read as 'none'.");
            return null;
        }
        var alg = JwsAlgorithm.Find(name);
        if (alg is null)
        {
            run.Set(n, CheckOutcome.Failed, "AlgorithmNotAllowed", $"Algorithm not allowed: '{name}' is not a known JWS algorithm.");
            return null;
        }
        if (!_allowed.Contains(name, StringComparer.Ordinal))
        {
            run.Set(n, CheckOutcome.Failed, "AlgorithmNotAllowed", $"Algorithm not allowed: '{name}' is not in the allow-list ({string.Join(", ", _allowed)}).");
            return null;
        }
        run.Set(n, CheckOutcome.Passed, "Ok", $"'{name}' is allowed.");
        return alg;
    }

    private void CheckCritical(CompactJws jws, Run run)
    {
        const TokenCheckName n = TokenCheckName.CriticalHeaders;
        if (!jws.Header.TryGetProperty("crit", out var crit)) { run.Set(n, CheckOutcome.Passed, "Ok", "No 'crit' header."); return; }
        if (crit.ValueKind != JsonValueKind.Array) { run.Set(n, CheckOutcome.Failed, "MalformedCritical", "'crit' is not an array."); return; }
        if (crit.GetArrayLength() == 0) { run.Set(n, CheckOutcome.Failed, "EmptyCritical", "'crit' is an empty list, which RFC 7515 forbids."); return; }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in crit.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) { run.Set(n, CheckOutcome.Failed, "MalformedCritical", "'crit' holds a non-string."); return; }
            var name = item.GetString()!;
            if (RegisteredHeaders.Contains(name)) { run.Set(n, CheckOutcome.Failed, "RegisteredHeaderInCritical", $"'crit' lists the registered header '{name}'."); return; }
            if (!seen.Add(name)) { run.Set(n, CheckOutcome.Failed, "DuplicateCritical", $"'crit' lists '{name}' twice."); return; }
            if (!options.AllowedCriticalHeaders.Contains(name, StringComparer.Ordinal))
            {
                run.Indicate("UnknownCriticalHeader", IndicatorSeverity.High, $"The token requires the unknown extension '{name}'.");
                run.Set(n, CheckOutcome.Failed, "UnknownCriticalHeader", $"The critical extension '{name}' is not understood by this verifier.");
                return;
            }
            if (!jws.HasHeader(name)) { run.Set(n, CheckOutcome.Failed, "CriticalHeaderMissing", $"'crit' lists '{name}' but the header does not carry it."); return; }
        }
        run.Set(n, CheckOutcome.Passed, "Ok", $"Critical extensions understood: {string.Join(", ", seen)}.");
    }

    private void CheckType(CompactJws jws, Run run)
    {
        const TokenCheckName n = TokenCheckName.Type;
        var typ = jws.Header.TryGetProperty("typ", out var t) ? (t.ValueKind == JsonValueKind.String ? t.GetString() : "") : null;
        var accepted = options.TokenTypes?.Select(Normalize).ToArray();
        if (typ is null)
        {
            if (accepted is null || accepted.Length == 0) run.Set(n, CheckOutcome.Passed, "Ok", "No 'typ' header.");
            else run.Set(n, CheckOutcome.Failed, "MissingType", $"'typ' is required ({string.Join(", ", accepted)}).");
            return;
        }
        var normalized = Normalize(typ);
        if ((accepted ?? DefaultTypes).Contains(normalized, StringComparer.Ordinal)) run.Set(n, CheckOutcome.Passed, "Ok", $"'typ' is '{typ}'.");
        else run.Set(n, CheckOutcome.Failed, "UnexpectedType", $"'typ' is '{typ}', which is not accepted here (e.g. a DPoP proof or logout token is not an access token).");

        static string Normalize(string s)
        {
            s = s.ToLowerInvariant();
            return s.StartsWith("application/", StringComparison.Ordinal) ? s["application/".Length..] : s;
        }
    }

    private async ValueTask CheckKeyAndSignatureAsync(CompactJws jws, JwsAlgorithm alg, JsonElement? claims, Run run, CancellationToken ct)
    {
        SigningKeySet set;
        try
        {
            set = await keySource.GetKeysAsync(KeyRefresh.None, ct).ConfigureAwait(false);
        }
        catch (KeySourceUnavailableException e)
        {
            run.Set(TokenCheckName.KeyMatch, CheckOutcome.Failed, "KeySourceUnavailable", e.Message);
            run.Set(TokenCheckName.Signature, CheckOutcome.Skipped, "NotAttempted", "No keys to verify with.");
            return;
        }
        var kid = jws.KeyId;
        var candidates = FindCandidates(jws, alg, set, kid, run, out var failure);
        if (candidates.Count == 0 && failure?.Reason == "KeyNotFound" && kid is not null && keySource.CanRefresh)
        {
            set = await RefreshAsync(set, KeyRefresh.UnknownKeyId, ct).ConfigureAwait(false);
            candidates = FindCandidates(jws, alg, set, kid, run, out failure);
        }
        if (candidates.Count == 0)
        {
            failure ??= new(TokenCheckName.KeyMatch, CheckOutcome.Failed, "KeyNotFound", "No key fits the token.");
            if (failure.Reason == "KeyNotFound" && kid is not null)
                run.Indicate("UnknownKeyId", IndicatorSeverity.High, $"The key id '{kid}' is not in the issuer's key set.");
            run.Set(failure);
            run.Set(TokenCheckName.Signature, CheckOutcome.Skipped, "NotAttempted", "No usable key.");
            return;
        }

        var input = jws.SigningInput();
        var signer = candidates.FirstOrDefault(k => k.Verify(alg, input, jws.Signature));
        if (signer is null && kid is not null && keySource.CanRefresh)
        {
            // The issuer may have re-keyed under the same kid: refetch once (the source rate-limits) and retry new material.
            var known = candidates.Select(c => c.Thumbprint).ToHashSet();
            var refreshed = await RefreshAsync(set, KeyRefresh.FailedSignature, ct).ConfigureAwait(false);
            if (!ReferenceEquals(refreshed, set))
            {
                var fresh = FindCandidates(jws, alg, refreshed, kid, run, out _).Where(k => !known.Contains(k.Thumbprint)).ToList();
                signer = fresh.FirstOrDefault(k => k.Verify(alg, input, jws.Signature));
                if (signer is not null) candidates = fresh;
            }
        }
        if (signer is null)
        {
            var missing = jws.Signature.Length == 0;
            run.Set(TokenCheckName.KeyMatch, CheckOutcome.Passed, "Ok", $"Key {Describe(candidates[0])} fits {alg.Name}.");
            run.Set(TokenCheckName.Signature, CheckOutcome.Failed, missing ? "MissingSignature" : "InvalidSignature",
                missing ? "The signature is empty." : $"The signature does not verify with {(candidates.Count == 1 ? "key " + Describe(candidates[0]) : candidates.Count + " candidate keys")}.");
            if (!missing) run.Indicate("InvalidSignature", IndicatorSeverity.High, "The content or signature was altered, or the token was signed by another key.");
            return;
        }
        run.SigningKey = signer;
        run.Set(TokenCheckName.Signature, CheckOutcome.Passed, "Ok", $"Verified with {Describe(signer)} ({alg.Name}).");
        run.Set(KeyBinding(signer, claims, jws, run));
    }

    private async ValueTask<SigningKeySet> RefreshAsync(SigningKeySet current, KeyRefresh reason, CancellationToken ct)
    {
        try
        {
            return await keySource.GetKeysAsync(reason, ct).ConfigureAwait(false);
        }
        catch (KeySourceUnavailableException)
        {
            return current;
        }
    }

    private List<SigningKey> FindCandidates(CompactJws jws, JwsAlgorithm alg, SigningKeySet set, string? kid, Run run, out TokenCheck? failure)
    {
        const TokenCheckName n = TokenCheckName.KeyMatch;
        failure = null;
        if (alg.IsSymmetric && set.HasAsymmetricKeys)
        {
            run.Indicate("HmacKeyConfusion", IndicatorSeverity.Critical, $"An {alg.Name} (HMAC) token was checked against a key set with public keys: the classic key-confusion forgery.");
            failure = new(n, CheckOutcome.Failed, "KeyConfusion", "An HMAC token can never be verified with a public key, nor against a key set that holds public keys.");
            return [];
        }
        var fromChain = ChainKey(jws, run);
        if (fromChain is not null)
        {
            var why = fromChain.UnfitFor(alg);
            if (why is null) return [fromChain];
            failure = new(n, CheckOutcome.Failed, "KeyUnusable", why);
            return [];
        }
        if (kid is not null)
        {
            var matches = set.WithKeyId(kid).ToList();
            if (matches.Count == 0) { failure = new(n, CheckOutcome.Failed, "KeyNotFound", $"Key not found: no key with kid '{kid}' in {set.Source}."); return []; }
            if (matches.Count > 1) { failure = new(n, CheckOutcome.Failed, "AmbiguousKey", $"The key set holds {matches.Count} keys with kid '{kid}'."); return []; }
            var why = matches[0].UnfitFor(alg);
            if (why is not null) { failure = new(n, CheckOutcome.Failed, "KeyUnusable", why); return []; }
            return matches;
        }
        var fitting = set.Keys.Where(k => k.UnfitFor(alg) is null).ToList();
        if (fitting.Count == 0)
        {
            var only = set.Keys.Count == 1 ? set.Keys[0].UnfitFor(alg) : null;
            failure = new(n, CheckOutcome.Failed, only is null ? "KeyNotFound" : "KeyUnusable", only ?? $"The token has no kid and no key in {set.Source} fits {alg.Name}.");
        }
        return fitting;
    }

    private SigningKey? ChainKey(CompactJws jws, Run run)
    {
        if (!jws.Header.TryGetProperty("x5c", out var x5c)) return null;
        var roots = options.TrustedRoots;
        if (roots is null || roots.Count == 0)
        {
            run.Indicate("UntrustedCertificateChain", IndicatorSeverity.Low, "The token carries an x5c chain; it was ignored because no trusted root was supplied.");
            return null;
        }
        try
        {
            var certs = x5c.EnumerateArray().Select(e => new X509Certificate2(Convert.FromBase64String(e.GetString()!))).ToList();
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = run.Now.UtcDateTime;
            foreach (var c in certs.Skip(1)) chain.ChainPolicy.ExtraStore.Add(c);
            if (chain.Build(certs[0])) return SigningKey.FromCertificate(certs[0], jws.KeyId);
            run.Indicate("UntrustedCertificateChain", IndicatorSeverity.Medium, "The x5c chain does not chain to a supplied root; it was not used.");
        }
        catch (Exception e) when (e is FormatException or CryptographicException or InvalidOperationException or ArgumentException)
        {
            run.Indicate("UntrustedCertificateChain", IndicatorSeverity.Medium, "The x5c chain could not be read; it was not used.");
        }
        return null;
    }

    private TokenCheck KeyBinding(SigningKey key, JsonElement? claims, CompactJws jws, Run run)
    {
        const TokenCheckName n = TokenCheckName.KeyMatch;
        string? iss = null, tid = null;
        DateTimeOffset? iat = null;
        if (claims is { } c)
        {
            iss = JsonValues.GetString(c, "iss");
            tid = JsonValues.GetString(c, "tid");
            ClaimChecks.TryNumericDate(c, "iat", out iat);
        }
        if (key.Issuer is not null && claims is not null)
        {
            var expected = IssuerMatcher.IsTemplate(key.Issuer) && tid is not null ? IssuerMatcher.Fill(key.Issuer, tid) : key.Issuer;
            if (IssuerMatcher.IsTemplate(expected) || !string.Equals(expected, iss, StringComparison.Ordinal))
            {
                run.Indicate("KeyNotBoundToIssuer", IndicatorSeverity.High, $"Key {Describe(key)} is published for issuer '{key.Issuer}', not for '{iss}'.");
                return new(n, CheckOutcome.Failed, "KeyNotBoundToIssuer", $"The signing key belongs to issuer '{key.Issuer}', not to the token's issuer '{iss}'.");
            }
        }
        if (options.KeyHistory is { } history && key.Thumbprint is not null && iat is not null)
        {
            foreach (var name in options.Issuers.Append(iss).Where(x => x is not null).Distinct())
            {
                var retired = history.FindRetirement(name!, jws.KeyId, key.Thumbprint);
                if (retired is not null && retired.RetiredBy < iat)
                {
                    run.Indicate("KeyRetiredBeforeIssued", IndicatorSeverity.High,
                        $"Key {Describe(key)} was last published {retired.LastSeen:u} and gone by {retired.RetiredBy:u}, before the token's iat {iat:u}.");
                    return new(n, CheckOutcome.Failed, "KeyRetiredBeforeIssued", $"The signing key was retired (gone by {retired.RetiredBy:u}) before the token was issued ({iat:u}).");
                }
            }
        }
        return new(n, CheckOutcome.Passed, "Ok", $"Key {Describe(key)} fits" + (key.Issuer is null ? "." : $" and is bound to issuer '{key.Issuer}'."));
    }

    private void CheckClaims(JsonElement claims, Run run)
    {
        var skew = options.ClockSkew;
        if (!ClaimChecks.TryNumericDate(claims, "exp", out var exp))
            run.Set(TokenCheckName.Expiry, CheckOutcome.Failed, "MalformedClaim", "'exp' is not a NumericDate.");
        else if (exp is null)
            run.Set(TokenCheckName.Expiry, options.RequireExpiration ? CheckOutcome.Failed : CheckOutcome.NotApplicable, "MissingExpiration", "The token has no 'exp' claim.");
        else if (run.Now > exp + skew)
            run.Set(TokenCheckName.Expiry, CheckOutcome.Failed, "Expired", $"Expired at {exp:u} (checked at {run.Now:u}, skew {skew}).");
        else
            run.Set(TokenCheckName.Expiry, CheckOutcome.Passed, "Ok", $"Valid until {exp:u}.");

        if (!ClaimChecks.TryNumericDate(claims, "nbf", out var nbf))
            run.Set(TokenCheckName.NotBefore, CheckOutcome.Failed, "MalformedClaim", "'nbf' is not a NumericDate.");
        else if (nbf is null)
            run.Set(TokenCheckName.NotBefore, CheckOutcome.NotApplicable, "Absent", "No 'nbf' claim.");
        else if (nbf > run.Now + skew)
        {
            run.Indicate("NotBeforeInFuture", IndicatorSeverity.Low, $"'nbf' ({nbf:u}) is in the future.");
            run.Set(TokenCheckName.NotBefore, CheckOutcome.Failed, "NotYetValid", $"Not valid before {nbf:u}.");
        }
        else run.Set(TokenCheckName.NotBefore, CheckOutcome.Passed, "Ok", $"Valid from {nbf:u}.");

        if (!ClaimChecks.TryNumericDate(claims, "iat", out var iat))
            run.Set(TokenCheckName.IssuedAt, CheckOutcome.Failed, "MalformedClaim", "'iat' is not a NumericDate.");
        else if (iat is null)
            run.Set(TokenCheckName.IssuedAt, CheckOutcome.NotApplicable, "Absent", "No 'iat' claim.");
        else if (iat > run.Now + skew)
        {
            run.Indicate("IssuedInFuture", IndicatorSeverity.Medium, $"'iat' ({iat:u}) is in the future: the issuer's clock or the token is wrong.");
            run.Set(TokenCheckName.IssuedAt, CheckOutcome.Failed, "IssuedInFuture", $"Issued in the future ({iat:u}).");
        }
        else run.Set(TokenCheckName.IssuedAt, CheckOutcome.Passed, "Ok", $"Issued at {iat:u}.");

        var start = iat ?? nbf;
        if (exp is null || start is null)
            run.Set(TokenCheckName.Lifetime, CheckOutcome.NotApplicable, "Absent", "Lifetime unknown (needs 'exp' and 'iat' or 'nbf').");
        else if (exp < start)
            run.Set(TokenCheckName.Lifetime, CheckOutcome.Failed, "ExpiresBeforeIssued", "'exp' is earlier than 'iat'/'nbf'.");
        else if (options.MaxLifetime is { } max && exp - start > max)
        {
            run.Indicate("LifetimeAbovePolicy", IndicatorSeverity.Medium, $"Lifetime {exp - start} exceeds the policy of {max}.");
            run.Set(TokenCheckName.Lifetime, CheckOutcome.Failed, "LifetimeExceedsPolicy", $"Lifetime {exp - start} is above the maximum {max}.");
        }
        else run.Set(TokenCheckName.Lifetime, CheckOutcome.Passed, "Ok", $"Lifetime {exp - start}.");

        run.Set(options.Issuers.Count == 0
            ? new TokenCheck(TokenCheckName.Issuer, CheckOutcome.Skipped, "NotConfigured", "No issuer was given, so 'iss' was not checked.")
            : IssuerMatcher.Check(JsonValues.GetString(claims, "iss"), JsonValues.GetString(claims, "tid"), options.Issuers, options.TenantIds));
        run.Set(ClaimChecks.Audience(claims, options.Audiences));

        var missing = options.RequiredClaims.Where(c => !claims.TryGetProperty(c, out _)).ToArray();
        run.Set(options.RequiredClaims.Count == 0
            ? new TokenCheck(TokenCheckName.RequiredClaims, CheckOutcome.NotApplicable, "NotConfigured", "No claims were required.")
            : missing.Length == 0
                ? new TokenCheck(TokenCheckName.RequiredClaims, CheckOutcome.Passed, "Ok", "All required claims are present.")
                : new TokenCheck(TokenCheckName.RequiredClaims, CheckOutcome.Failed, "MissingRequiredClaim", $"Missing: {string.Join(", ", missing)}."));
    }

    private static string Describe(SigningKey k) => k.KeyId is null ? $"{k.KeyType} {k.Thumbprint?[..8]}" : $"'{k.KeyId}'";

    private sealed class Run(string token, DateTimeOffset now)
    {
        private static readonly int CheckCount = Enum.GetValues<TokenCheckName>().Length;
        private readonly TokenCheck?[] _checks = new TokenCheck?[CheckCount];
        private readonly List<ForgeryIndicator> _indicators = [];
        public DateTimeOffset Now { get; } = now;
        public SigningKey? SigningKey { get; set; }

        public void Set(TokenCheckName name, CheckOutcome outcome, string reason, string message) => Set(new TokenCheck(name, outcome, reason, message));
        public void Set(TokenCheck check) => _checks[(int)check.Name] = check;

        public void Indicate(string id, IndicatorSeverity severity, string message)
        {
            if (!_indicators.Any(i => i.Id == id)) _indicators.Add(new ForgeryIndicator(id, severity, message));
        }

        public TokenValidationReport Finish(CompactJws? jws, JsonElement? claims, string source)
        {
            var checks = new TokenCheck[_checks.Length];
            for (var i = 0; i < checks.Length; i++)
            {
                var name = (TokenCheckName)i;
                checks[i] = _checks[i] ?? (claims is null && jws is not null && i >= (int)TokenCheckName.Issuer
                    ? new TokenCheck(name, CheckOutcome.NotApplicable, "NotAClaimSet", "The payload is not a JWT claim set.")
                    : new TokenCheck(name, CheckOutcome.Skipped, "NotEvaluated", "Not evaluated: the token could not be read."));
            }
            DateTimeOffset? Date(string n) => claims is { } c && ClaimChecks.TryNumericDate(c, n, out var d) ? d : null;
            return new TokenValidationReport
            {
                IsValid = checks.All(c => c.Outcome != CheckOutcome.Failed) && checks[(int)TokenCheckName.Signature].Outcome == CheckOutcome.Passed,
                Checks = checks,
                Indicators = _indicators.OrderByDescending(i => i.Severity).ToArray(),
                ValidatedAt = Now,
                TokenPreview = TokenMask.Mask(token),
                Algorithm = jws?.Algorithm,
                KeyId = jws?.KeyId,
                Issuer = claims is { } c1 ? JsonValues.GetString(c1, "iss") : null,
                Subject = claims is { } c2 ? JsonValues.GetString(c2, "sub") : null,
                TenantId = claims is { } c3 ? JsonValues.GetString(c3, "tid") : null,
                Audience = claims is { } c4 && c4.TryGetProperty("aud", out var aud)
                    ? aud.ValueKind == JsonValueKind.String ? [aud.GetString()!] : aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray() : []
                    : [],
                IssuedAt = Date("iat"),
                NotBefore = Date("nbf"),
                Expires = Date("exp"),
                KeySource = source,
                SigningKeyThumbprint = SigningKey?.Thumbprint,
                HeaderJson = jws?.Header,
                ClaimsJson = claims,
            };
        }
    }
}
