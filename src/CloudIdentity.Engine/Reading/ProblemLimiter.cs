namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Keeps a bad input from flooding the error stream: per input and per error id, the first few record problems are
/// reported one by one and the rest are counted; <see cref="Summaries"/> reports the counts, so nothing is dropped
/// silently.
/// </summary>
internal sealed class ProblemLimiter(int perErrorId)
{
    private readonly Dictionary<string, (long Total, ReadProblem First)> _counts = new(StringComparer.Ordinal);

    /// <summary>True when this problem is to be reported on its own; input-level problems always are.</summary>
    public bool Report(ReadProblem problem)
    {
        if (problem.RecordIndex is null) return true;
        _counts[problem.ErrorId] = _counts.TryGetValue(problem.ErrorId, out var c) ? (c.Total + 1, c.First) : (1, problem);
        return _counts[problem.ErrorId].Total <= perErrorId;
    }

    public IEnumerable<ReadProblem> Summaries(string origin)
    {
        foreach (var (errorId, (total, first)) in _counts)
        {
            if (total <= perErrorId) continue;
            yield return first with
            {
                RecordIndex = null,
                ByteOffset = null,
                Message = $"{total} record(s) in all had this problem ({errorId}); the first {perErrorId} are reported above and " +
                          $"{total - perErrorId} more were counted without a message each. First one: {first.Message}",
            };
        }
    }
}
