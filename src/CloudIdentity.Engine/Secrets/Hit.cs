namespace CloudIdentity.Engine.Secrets;

/// <summary>A pattern match inside one scanned unit, before pairing and reporting. Holds the raw secret: internal.</summary>
internal sealed class Hit
{
    public required SecretPattern Pattern { get; init; }
    public required string Secret { get; init; }
    public long CharOffset { get; init; }
    public int Length { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    public long ByteOffset { get; set; }
    /// <summary>Why this match is not reported (placeholder, allow comment…); null for a finding.</summary>
    public string? Suppressed { get; set; }
}
