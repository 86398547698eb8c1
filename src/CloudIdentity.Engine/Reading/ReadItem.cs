using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Reading;

public enum ProblemSeverity { Warning, Error }

/// <summary>
/// A problem with one input or one record. <see cref="ErrorId"/> is stable (PascalCase) and becomes the
/// PowerShell error id; <see cref="Origin"/> names the file, S3 object or pipeline input.
/// </summary>
public sealed record ReadProblem(
    string ErrorId,
    ProblemSeverity Severity,
    string Origin,
    long? RecordIndex,
    long? ByteOffset,
    string Message,
    ProblemCategory Category = ProblemCategory.InvalidData)
{
    public override string ToString()
    {
        var where = RecordIndex is { } i ? $" (record {i}{(ByteOffset is { } b ? $", byte {b}" : "")})" : ByteOffset is { } o ? $" (byte {o})" : "";
        return $"{Origin}{where}: {Message}";
    }
}

/// <summary>Engine-side error categories; the cmdlet layer maps them to PowerShell's ErrorCategory.</summary>
public enum ProblemCategory { InvalidData, ReadError, ObjectNotFound, NotImplemented, LimitsExceeded }

/// <summary>One item of a read: an event, a problem, or a note for verbose output.</summary>
public readonly record struct ReadItem(CloudIdEvent? Event, ReadProblem? Problem, string? Note)
{
    public static ReadItem Of(CloudIdEvent e) => new(e, null, null);
    public static ReadItem Of(ReadProblem p) => new(null, p, null);
    public static ReadItem Verbose(string note) => new(null, null, note);
}
