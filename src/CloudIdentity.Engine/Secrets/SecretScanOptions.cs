namespace CloudIdentity.Engine.Secrets;

public sealed class SecretScanOptions
{
    public PatternCatalog Catalog { get; init; } = PatternCatalog.BuiltIn;
    /// <summary>How many archive levels are opened (a zip in a zip is two). Reaching it gives a notice.</summary>
    public int MaxArchiveDepth { get; init; } = 5;
    /// <summary>Files and archive entries larger than this are skipped with a notice. 0 = no limit.</summary>
    public long MaxFileSize { get; init; } = 512L * 1024 * 1024;
    /// <summary>Characters per read; matches are found across reads through the overlap.</summary>
    public int ChunkChars { get; init; } = 1 << 20;
    /// <summary>Characters shared between reads; at least the longest possible match.</summary>
    public int OverlapChars { get; init; } = 16 * 1024;
    /// <summary>Fingerprints of known findings to leave out (a baseline).</summary>
    public IReadOnlySet<string> Baseline { get; init; } = new HashSet<string>();
    /// <summary>Wildcard patterns (* ? **) for entry paths inside archives and images to leave out.</summary>
    public IReadOnlyList<string> ExcludeEntries { get; init; } = [];
    /// <summary>Checks credentials with their provider; null = do not verify (the default).</summary>
    public ISecretVerifier? Verifier { get; init; }
}

/// <summary>One output of a scan: a finding or a notice.</summary>
public readonly record struct ScanItem(SecretFinding? Finding, ScanNotice? Notice);

/// <summary>Asks a provider whether a credential works. Implementations must never log the secret.</summary>
public interface ISecretVerifier
{
    /// <summary>Verifies <paramref name="finding"/>; <paramref name="pair"/> is its paired finding (e.g. the secret key for a key id).</summary>
    (SecretVerification Result, string Detail) Verify(SecretFinding finding, SecretFinding? pair, SecretFinding? sessionToken);
}
