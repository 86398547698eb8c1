namespace CloudIdentity.Commands;

/// <summary>-StartTime/-EndTime values as UTC instants: a DateTime without a kind is the user's local time.</summary>
internal static class TimeArguments
{
    public static DateTimeOffset ToUtc(DateTime t) =>
        t.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Local)).ToUniversalTime() : new DateTimeOffset(t).ToUniversalTime();
}
