using System.IO.Compression;
using System.Text.Json;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Reads log inputs into normalized events, streaming: one record at a time is held in memory. Problems with an
/// input or a record become <see cref="ReadProblem"/> items and reading goes on with the next record or file.
/// </summary>
public sealed class EventReader
{
    private readonly ReadOptions _options;
    private readonly IEventNormalizer? _forced;

    /// <summary>Record problems of one kind reported one by one per input before they are only counted.</summary>
    public const int MaxReportedPerProblem = 3;

    /// <summary>A score at which a record is taken as the previous record's source without asking the others.</summary>
    private const int ConfidentScore = 8;

    public EventReader(ReadOptions options)
    {
        _options = options;
        if (options.Source is not null)
            _forced = NormalizerCatalog.Find(options.Source) ?? throw new ArgumentException($"Unknown log source '{options.Source}'. Known: {string.Join(", ", NormalizerCatalog.SourceNames)}.");
    }

    /// <summary>True when a path names a CloudTrail digest file, which holds no events.</summary>
    public static bool IsDigestPath(string path) =>
        path.Contains("CloudTrail-Digest", StringComparison.Ordinal);

    public IEnumerable<ReadItem> ReadFile(string path, CancellationToken cancellation = default)
    {
        if (IsDigestPath(path))
        {
            yield return ReadItem.Verbose($"Skipping '{path}': a CloudTrail digest file holds no events.");
            yield break;
        }
        Stream stream;
        ReadProblem? openProblem = null;
        try
        {
            stream = InputOpener.OpenFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream = Stream.Null;
            openProblem = new ReadProblem("LogFileUnreadable", ProblemSeverity.Error, path, null, null, e.Message, ProblemCategory.ReadError);
        }
        if (openProblem is not null)
        {
            yield return ReadItem.Of(openProblem);
            yield break;
        }
        using (stream)
        {
            foreach (var item in ReadStream(stream, path, cancellation)) yield return item;
        }
    }

    public IEnumerable<ReadItem> ReadText(string json, string origin) =>
        ReadStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), origin, CancellationToken.None);

    public IEnumerable<ReadItem> ReadStream(Stream stream, string origin, CancellationToken cancellation = default)
    {
        using var scanner = new JsonRecordScanner(stream, _options.MaxRecordBytes);
        long records = 0, events = 0, skipped = 0;
        var limiter = new ProblemLimiter(MaxReportedPerProblem);
        IEventNormalizer? last = null;
        bool any = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            ScannedValue value;
            ReadProblem? problem = null;
            bool more;
            try
            {
                more = scanner.TryReadNext(out value);
            }
            catch (ScanException se)
            {
                value = default;
                more = true;
                problem = new ReadProblem(se.Message.Contains("truncated") ? "LogFileTruncated" : "LogRecordMalformed",
                    ProblemSeverity.Error, origin, se.RecordIndex, se.ByteOffset, se.Message);
            }
            catch (Exception ioe) when (ioe is InvalidDataException or IOException)
            {
                // Corrupt or truncated compressed data.
                value = default;
                more = false;
                problem = new ReadProblem("LogFileCorrupt", ProblemSeverity.Error, origin, null, scanner.BytesRead,
                    $"The compressed data is corrupt or truncated: {ioe.Message}", ProblemCategory.ReadError);
            }
            if (problem is not null)
            {
                any = true;
                if (limiter.Report(problem)) yield return ReadItem.Of(problem);
                if (!more) break;
                continue;
            }
            if (!more) break;
            any = true;
            records++;
            var result = RecordUnwrapper.Unwrap(value.Value, value.Container, value.Envelope);
            if (result.Kind == RecordUnwrapper.Kind.Skip)
            {
                skipped++;
                yield return ReadItem.Verbose($"{origin}: skipped record {value.Index}: {result.Reason}.");
                continue;
            }
            if (result.Reason is not null)
            {
                var recordProblem = new ReadProblem(result.ErrorId ?? "LogRecordMalformed",
                    result.Kind == RecordUnwrapper.Kind.Problem ? ProblemSeverity.Error : ProblemSeverity.Warning,
                    origin, value.Index, value.ByteOffset, result.Reason);
                if (limiter.Report(recordProblem)) yield return ReadItem.Of(recordProblem);
                if (result.Kind == RecordUnwrapper.Kind.Problem) continue;
            }
            var context = new RecordContext(origin, value.Index, value.Container, value.Envelope);
            var normalizer = _forced ?? (result.SourceHint is { } hint ? NormalizerCatalog.Find(hint) : null);
            if (normalizer is null)
            {
                // Records of one input are nearly always of one source: keep the last one while it fits clearly.
                normalizer = last is not null && last.Score(result.Record, context) >= ConfidentScore
                    ? last
                    : NormalizerCatalog.Detect(result.Record, context);
                last = normalizer ?? last;
            }
            if (normalizer is null)
            {
                var unrecognized = new ReadProblem("LogRecordUnrecognized", ProblemSeverity.Error, origin, value.Index, value.ByteOffset,
                    $"Not a record of a known log source ({Describe(result.Record)}). Use -Source to force one of: {string.Join(", ", NormalizerCatalog.SourceNames)}.");
                if (limiter.Report(unrecognized)) yield return ReadItem.Of(unrecognized);
                continue;
            }
            CloudIdEvent e;
            ReadProblem? normalizeProblem = null;
            try
            {
                e = normalizer.Normalize(result.Record, context);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or ArgumentException)
            {
                e = null!;
                normalizeProblem = new ReadProblem("LogRecordInvalid", ProblemSeverity.Error, origin, value.Index, value.ByteOffset,
                    $"The {normalizer.Name} record could not be normalized: {ex.Message}");
            }
            if (normalizeProblem is not null)
            {
                if (limiter.Report(normalizeProblem)) yield return ReadItem.Of(normalizeProblem);
                continue;
            }
            if (_options.StartTime is { } start && (e.Time is null || e.Time < start)) continue;
            if (_options.EndTime is { } end && (e.Time is null || e.Time > end)) continue;
            events++;
            yield return ReadItem.Of(e);
        }
        foreach (var summary in limiter.Summaries(origin)) yield return ReadItem.Of(summary);
        if (!any && !scanner.SawContent)
        {
            yield return ReadItem.Of(new ReadProblem("LogFileEmpty", ProblemSeverity.Error, origin, null, null, "The input is empty: it holds no JSON."));
        }
        yield return ReadItem.Verbose($"{origin}: {records} record(s), {events} event(s) emitted, {skipped} skipped.");
    }

    private static string Describe(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object) return record.ValueKind.ToString();
        var names = record.EnumerateObject().Select(p => p.Name).Take(6).ToArray();
        return names.Length == 0 ? "an empty object" : "keys: " + string.Join(", ", names);
    }
}
