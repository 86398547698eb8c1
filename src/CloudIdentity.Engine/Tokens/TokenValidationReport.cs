namespace CloudIdentity.Engine.Tokens;

public enum CheckOutcome { Passed, Failed, Skipped, NotApplicable }

public enum IndicatorSeverity { Info, Low, Medium, High, Critical }

public enum TokenCheckName { Format, Algorithm, CriticalHeaders, Type, KeyMatch, Signature, Issuer, Audience, Expiry, NotBefore, IssuedAt, Lifetime, RequiredClaims }

/// <summary>One check and its outcome. <see cref="Reason"/> is a stable code (e.g. AlgorithmNotAllowed).</summary>
public sealed record TokenCheck(TokenCheckName Name, CheckOutcome Outcome, string Reason, string Message)
{
    public override string ToString() => $"{Name}: {Outcome} ({Reason})";
}

/// <summary>A sign that a token may be forged or minted outside policy.</summary>
public sealed record ForgeryIndicator(string Id, IndicatorSeverity Severity, string Message)
{
    public override string ToString() => $"{Severity} {Id}";
}

/// <summary>The result of validating one token: every check, every indicator, and the decoded content.</summary>
public sealed class TokenValidationReport
{
    public required bool IsValid { get; init; }
    public required IReadOnlyList<TokenCheck> Checks { get; init; }
    public required IReadOnlyList<ForgeryIndicator> Indicators { get; init; }
    public required DateTimeOffset ValidatedAt { get; init; }
    public required string TokenPreview { get; init; }
    public string? Algorithm { get; init; }
    public string? KeyId { get; init; }
    public string? Issuer { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyList<string> Audience { get; init; } = [];
    public string? TenantId { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public string? KeySource { get; init; }
    public string? SigningKeyThumbprint { get; init; }
    private readonly Lazy<IReadOnlyDictionary<string, object?>> _header = new(() => new Dictionary<string, object?>());
    private readonly Lazy<IReadOnlyDictionary<string, object?>> _claims = new(() => new Dictionary<string, object?>());

    /// <summary>The protected header, decoded on first use.</summary>
    public IReadOnlyDictionary<string, object?> Header => _header.Value;
    /// <summary>The claim set, decoded on first use.</summary>
    public IReadOnlyDictionary<string, object?> Claims => _claims.Value;

    internal System.Text.Json.JsonElement? HeaderJson { init => _header = new(() => value is { } e ? JsonValues.ToDictionary(e) : new Dictionary<string, object?>()); }
    internal System.Text.Json.JsonElement? ClaimsJson { init => _claims = new(() => value is { } e ? JsonValues.ToDictionary(e) : new Dictionary<string, object?>()); }

    public IndicatorSeverity? HighestSeverity => Indicators.Count == 0 ? null : Indicators.Max(i => i.Severity);
    public IReadOnlyList<TokenCheck> Failures => Checks.Where(c => c.Outcome == CheckOutcome.Failed).ToArray();
    public string[] FailureReasons => Failures.Select(c => c.Reason).ToArray();
    public TokenCheck Check(TokenCheckName name) => Checks.First(c => c.Name == name);
    public bool HasIndicator(string id) => Indicators.Any(i => i.Id == id);
}
