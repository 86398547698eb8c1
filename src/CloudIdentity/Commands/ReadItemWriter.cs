using System.Management.Automation;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Commands;

/// <summary>Maps the engine's read items to PowerShell streams: events to output, problems to errors or warnings.</summary>
internal static class ReadItemWriter
{
    public static void Write(Cmdlet cmdlet, in ReadItem item)
    {
        if (item.Event is not null) cmdlet.WriteObject(item.Event);
        else if (item.Problem is { } p)
        {
            if (p.Severity == ProblemSeverity.Warning) cmdlet.WriteWarning(p.ToString());
            else cmdlet.WriteError(ToErrorRecord(p));
        }
        else if (item.Note is not null) cmdlet.WriteVerbose(item.Note);
    }

    public static ErrorRecord ToErrorRecord(ReadProblem p)
    {
        Exception exception = p.Category switch
        {
            ProblemCategory.ReadError => new IOException(p.ToString()),
            ProblemCategory.ObjectNotFound => new FileNotFoundException(p.ToString()),
            _ => new InvalidDataException(p.ToString()),
        };
        var category = p.Category switch
        {
            ProblemCategory.ReadError => ErrorCategory.ReadError,
            ProblemCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
            ProblemCategory.NotImplemented => ErrorCategory.NotImplemented,
            ProblemCategory.LimitsExceeded => ErrorCategory.LimitsExceeded,
            _ => ErrorCategory.InvalidData,
        };
        return new ErrorRecord(exception, p.ErrorId, category, p.Origin);
    }
}
