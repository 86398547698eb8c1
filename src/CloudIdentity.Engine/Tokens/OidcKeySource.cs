using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Cache policy for an issuer's published keys.</summary>
public sealed record KeyCachePolicy
{
    /// <summary>After this, the next lookup refetches the JWKS.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Refetches (on an unknown kid or a failed signature) are at least this far apart.</summary>
    public TimeSpan MinimumRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Refetches caused by an unknown kid (attacker-controlled) are at least this far apart.</summary>
    public TimeSpan UnknownKeyIdRefreshInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>While the issuer is unreachable, last-known-good keys are used for at most this long after they were fetched.</summary>
    public TimeSpan LastKnownGoodLifetime { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>
/// Keys published by an OpenID Connect issuer: discovery document, then JWKS. The JWKS host must be the issuer's
/// host (unless explicitly allowed); HTTPS is required except for loopback hosts. Keys are cached; an unknown kid
/// or a failed signature triggers at most one refetch per minimum interval; last-known-good keys survive outages.
/// </summary>
public sealed class OidcKeySource : ISigningKeySource
{
    private static readonly ConcurrentDictionary<string, OidcKeySource> Shared = new(StringComparer.Ordinal);
    private static readonly Lazy<HttpClient> DefaultClient = new(() =>
        new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(15) });

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly KeyCachePolicy _policy;
    private readonly IReadOnlyList<string> _allowedJwksHosts;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SigningKeySet? _keys;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastAttempt;
    private DateTimeOffset? _lastUnknownKidAttempt;
    private string? _jwksUri;

    public OidcKeySource(Uri discoveryUri, HttpClient? http = null, TimeProvider? time = null, KeyCachePolicy? policy = null, IEnumerable<string>? allowedJwksHosts = null)
    {
        RequireSafeScheme(discoveryUri);
        DiscoveryUri = discoveryUri;
        _http = http ?? DefaultClient.Value;
        _time = time ?? TimeProvider.System;
        _policy = policy ?? new KeyCachePolicy();
        _allowedJwksHosts = allowedJwksHosts?.ToArray() ?? [];
    }

    /// <summary>One source per discovery URL and process, so keys stay cached across cmdlet calls.</summary>
    public static OidcKeySource GetShared(Uri discoveryUri, IEnumerable<string>? allowedJwksHosts = null)
    {
        var hosts = allowedJwksHosts?.ToArray() ?? [];
        return Shared.GetOrAdd(discoveryUri.AbsoluteUri + "|" + string.Join(",", hosts), _ => new OidcKeySource(discoveryUri, allowedJwksHosts: hosts));
    }

    public static Uri DiscoveryUriFor(string issuer)
    {
        if (IssuerMatcher.IsTemplate(issuer)) throw new ArgumentException($"The issuer '{issuer}' is a template; give -DiscoveryUri or a key set instead.");
        return new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
    }

    public Uri DiscoveryUri { get; }
    /// <summary>The issuer the discovery document declares (may be a <c>{tenantid}</c> template, as Entra's is).</summary>
    public string? Issuer { get; private set; }
    public int FetchCount { get; private set; }
    public string Description => $"JWKS of {DiscoveryUri.GetLeftPart(UriPartial.Authority)}";
    public bool CanRefresh => true;

    public async ValueTask<SigningKeySet> GetKeysAsync(KeyRefresh reason, CancellationToken cancellationToken)
    {
        var refresh = reason != KeyRefresh.None;
        var now = _time.GetUtcNow();
        var keys = _keys;
        if (keys is not null && !refresh && now - _fetchedAt < _policy.RefreshInterval) return keys;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow();
            if (_keys is not null && !refresh && now - _fetchedAt < _policy.RefreshInterval) return _keys;
            if ((_lastAttempt is { } last && now - last < _policy.MinimumRefreshInterval) ||
                (reason == KeyRefresh.UnknownKeyId && _lastUnknownKidAttempt is { } lastKid && now - lastKid < _policy.UnknownKeyIdRefreshInterval))
            {
                // Rate limit: a burst of unknown kids cannot force a burst of fetches.
                return _keys ?? throw new KeySourceUnavailableException($"The keys of {Description} are unavailable and the last attempt was too recent to retry.");
            }
            _lastAttempt = now;
            if (reason == KeyRefresh.UnknownKeyId) _lastUnknownKidAttempt = now;
            try
            {
                var fetched = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _keys = fetched;
                _fetchedAt = now;
                return fetched;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or FormatException or InvalidOperationException)
            {
                if (_keys is not null && now - _fetchedAt < _policy.LastKnownGoodLifetime) return _keys;
                throw new KeySourceUnavailableException($"Could not fetch the keys of {Description}: {e.Message}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Fetches the issuer's JWKS as published (for recording in a key history).</summary>
    public async Task<string> FetchJwksJsonAsync(CancellationToken ct)
    {
        await FetchAsync(ct).ConfigureAwait(false);
        return await GetAsync(new Uri(_jwksUri!), ct).ConfigureAwait(false);
    }

    private async Task<SigningKeySet> FetchAsync(CancellationToken ct)
    {
        FetchCount++;
        if (_jwksUri is null)
        {
            using var doc = JsonDocument.Parse(await GetAsync(DiscoveryUri, ct).ConfigureAwait(false));
            var issuer = JsonValues.GetString(doc.RootElement, "issuer") ?? throw new FormatException("The discovery document has no issuer.");
            var jwks = JsonValues.GetString(doc.RootElement, "jwks_uri") ?? throw new FormatException("The discovery document has no jwks_uri.");
            var jwksUri = new Uri(jwks);
            RequireSafeScheme(jwksUri);
            if (!string.Equals(jwksUri.IdnHost, DiscoveryUri.IdnHost, StringComparison.OrdinalIgnoreCase) &&
                !_allowedJwksHosts.Contains(jwksUri.IdnHost, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The jwks_uri host '{jwksUri.Host}' differs from the issuer host '{DiscoveryUri.Host}' (pass it in -AllowedJwksHost to trust it).");
            }
            Issuer = issuer;
            _jwksUri = jwks;
        }
        var json = await GetAsync(new Uri(_jwksUri), ct).ConfigureAwait(false);
        return SigningKeySet.Parse(json, $"JWKS {_jwksUri}");
    }

    private async Task<string> GetAsync(Uri uri, CancellationToken ct)
    {
        using var response = await _http.GetAsync(uri, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"GET {uri} returned {(int)response.StatusCode}.");
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }

    private static void RequireSafeScheme(Uri uri)
    {
        if (!uri.IsAbsoluteUri) throw new ArgumentException($"'{uri}' is not an absolute URL.");
        if (uri.Scheme == Uri.UriSchemeHttps) return;
        if (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback)) return;
        throw new ArgumentException($"'{uri}' must use https (plain http is allowed only for loopback hosts).");
    }
}
