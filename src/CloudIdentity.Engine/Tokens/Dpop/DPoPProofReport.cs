namespace CloudIdentity.Engine.Tokens.Dpop;

public enum DPoPCheckName { Format, Type, Algorithm, PublicKey, Signature, Method, Uri, IssuedAt, TokenId, AccessTokenHash, Nonce, KeyBinding, Replay }

/// <summary>One RFC 9449 §4.3 check and its outcome; <see cref="Reason"/> is a stable code.</summary>
public sealed record DPoPCheck(DPoPCheckName Name, CheckOutcome Outcome, string Reason, string Message)
{
    public override string ToString() => $"{Name}: {Outcome} ({Reason})";
}

/// <summary>The result of checking one DPoP proof.</summary>
public sealed class DPoPProofReport
{
    public required bool IsValid { get; init; }
    public required IReadOnlyList<DPoPCheck> Checks { get; init; }
    public required DateTimeOffset ValidatedAt { get; init; }
    public required string ProofPreview { get; init; }
    /// <summary>RFC 7638 thumbprint of the proof key (what <c>cnf.jkt</c> must equal).</summary>
    public string? KeyThumbprint { get; init; }
    public string? Algorithm { get; init; }
    public string? TokenId { get; init; }
    public string? HttpMethod { get; init; }
    public string? HttpUri { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    /// <summary>True when this call recorded the proof's jti in the replay store.</summary>
    public bool Recorded { get; init; }
    public IReadOnlyDictionary<string, object?> Header { get; init; } = new Dictionary<string, object?>();
    public IReadOnlyDictionary<string, object?> Claims { get; init; } = new Dictionary<string, object?>();

    public IReadOnlyList<DPoPCheck> Failures => Checks.Where(c => c.Outcome == CheckOutcome.Failed).ToArray();
    public string[] FailureReasons => Failures.Select(c => c.Reason).ToArray();
    public DPoPCheck Check(DPoPCheckName name) => Checks.First(c => c.Name == name);
}
