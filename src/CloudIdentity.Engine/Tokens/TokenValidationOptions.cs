using System.Security.Cryptography.X509Certificates;

namespace CloudIdentity.Engine.Tokens;

/// <summary>The policy a token is validated against.</summary>
public sealed class TokenValidationOptions
{
    /// <summary>Accepted audiences; a token's <c>aud</c> must contain one (case-sensitive). Empty: audience not checked.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Accepted issuers, exact after filling in <c>{tenantid}</c> from the <c>tid</c> claim. Empty: issuer not checked.</summary>
    public IReadOnlyList<string> Issuers { get; init; } = [];

    /// <summary>Tenants allowed when an issuer is a <c>{tenantid}</c> template. "*" allows any tenant.</summary>
    public IReadOnlyList<string> TenantIds { get; init; } = [];

    /// <summary>Allowed algorithms (case-sensitive). Null: every asymmetric algorithm.</summary>
    public IReadOnlyList<string>? Algorithms { get; init; }

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
    public IReadOnlyList<string> RequiredClaims { get; init; } = [];

    /// <summary>Longest accepted <c>exp</c> − <c>iat</c> (or − <c>nbf</c>). Null: no limit.</summary>
    public TimeSpan? MaxLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Validate as of this time instead of now (forensics).</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Extension header names this verifier understands and so accepts in <c>crit</c>.</summary>
    public IReadOnlyList<string> AllowedCriticalHeaders { get; init; } = [];

    /// <summary>Accepted <c>typ</c> values (compared without case and without an "application/" prefix). Null: JWT, at+jwt or none.</summary>
    public IReadOnlyList<string>? TokenTypes { get; init; }

    public bool RequireExpiration { get; init; } = true;

    /// <summary>False for plain JWS payloads that are not JWT claim sets (test vectors): claim checks are then not applicable.</summary>
    public bool PayloadIsClaimSet { get; init; } = true;

    /// <summary>Roots an <c>x5c</c> chain must chain to before its leaf key is used. Null or empty: x5c is never trusted.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>A local history of the issuer's key sets, to spot tokens signed by retired keys.</summary>
    public SigningKeyHistory? KeyHistory { get; init; }
}
