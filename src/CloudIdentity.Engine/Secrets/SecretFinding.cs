namespace CloudIdentity.Engine.Secrets;

/// <summary>How bad a leak of this kind of credential is.</summary>
public enum SecretSeverity { Low, Medium, High, Critical }

/// <summary>Outcome of asking the provider whether a credential works. NotChecked unless -Verify was given.</summary>
public enum SecretVerification { NotChecked, Verified, Invalid, Unknown }

/// <summary>
/// One exposed credential. The secret itself is held only internally (for verification and fingerprinting):
/// every public member carries the masked form.
/// </summary>
public sealed class SecretFinding
{
    internal SecretFinding(string secret) => Secret = secret;

    /// <summary>The raw secret. Internal on purpose: never on the pipeline, in a format view or in a message.</summary>
    internal string Secret { get; }

    public required string PatternId { get; init; }
    public required string Title { get; init; }
    public SecretSeverity Severity { get; init; }
    /// <summary>The secret with most characters replaced by '*'.</summary>
    public required string Masked { get; init; }
    /// <summary>Stable id of this secret for this pattern (independent of line moves): used by baselines and SARIF.</summary>
    public required string Fingerprint { get; init; }
    /// <summary>Where it was found: a file path, or container!entry paths joined with '!' (image!layer!path).</summary>
    public required string Location { get; init; }
    /// <summary>The outermost file (or "pipeline input N").</summary>
    public required string Path { get; init; }
    /// <summary>Path inside archives/images below <see cref="Path"/>, '!'-separated; empty for plain files.</summary>
    public string EntryPath { get; init; } = "";
    /// <summary>1-based line of the start of the secret (0 when found in a binary's printable run).</summary>
    public int Line { get; internal set; }

    internal void LineShift(int lines) { if (Line > 0) Line += lines; }
    /// <summary>1-based column (in characters) of the start of the secret.</summary>
    public int Column { get; init; }
    /// <summary>Byte offset of the start of the secret in the (decoded) entry.</summary>
    public long ByteOffset { get; init; }
    /// <summary>Text, Utf16, Binary (printable run) or ImageConfig.</summary>
    public string ContentKind { get; init; } = "Text";
    /// <summary>Fingerprint of the finding this one was paired with (AWS key id and secret key in the same file).</summary>
    public string? PairedWith { get; internal set; }
    public SecretVerification Verification { get; internal set; }
    public string? VerificationDetail { get; internal set; }

    internal int PairLine => Line;

    public override string ToString() => $"{PatternId} {Masked} at {Location}:{(Line > 0 ? Line : ByteOffset)}";
}

public static class SecretFindingExtensions
{
    internal static SecretFinding WithLocation(this SecretFinding f, string path, string entryPath, string kind) => new(f.Secret)
    {
        PatternId = f.PatternId, Title = f.Title, Severity = f.Severity, Masked = f.Masked, Fingerprint = f.Fingerprint,
        Location = entryPath.Length > 0 ? path + "!" + entryPath : path, Path = path, EntryPath = entryPath,
        Line = f.Line, Column = f.Column, ByteOffset = f.ByteOffset, ContentKind = kind, PairedWith = f.PairedWith,
        Verification = f.Verification, VerificationDetail = f.VerificationDetail,
    };
}

public static class SecretFindingLines
{
    /// <summary>Moves a finding down by <paramref name="lines"/> (pipeline text keeps running line numbers).</summary>
    public static void ShiftLine(this SecretFinding f, int lines) => f.LineShift(lines);
}
