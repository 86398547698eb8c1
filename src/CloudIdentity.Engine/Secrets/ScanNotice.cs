namespace CloudIdentity.Engine.Secrets;

public enum ScanNoticeKind
{
    /// <summary>A file or entry was not scanned (size, type, unreadable); Reason says why.</summary>
    Skipped,
    /// <summary>An archive was not opened because the nesting depth limit was reached.</summary>
    DepthLimitReached,
    /// <summary>A match was not reported: documented example, placeholder, inline allow comment or baseline.</summary>
    Suppressed,
    /// <summary>Something could not be read (a corrupt archive entry); scanning continued.</summary>
    ReadError,
}

/// <summary>Something the scanner wants the user to know that is not a finding. Never holds a secret.</summary>
public sealed record ScanNotice(ScanNoticeKind Kind, string Location, string Reason)
{
    public override string ToString() => $"{Kind}: {Location}: {Reason}";
}
