namespace CloudIdentity.Engine.Reading;

/// <summary>What to read and how: a forced source, a time window, limits.</summary>
public sealed record ReadOptions
{
    /// <summary>Force a normalizer by name (<c>-Source</c>); null detects the source per record.</summary>
    public string? Source { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>Largest single record accepted, in bytes.</summary>
    public int MaxRecordBytes { get; init; } = 256 * 1024 * 1024;
}
