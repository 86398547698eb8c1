using System.Runtime.CompilerServices;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Graph;

/// <summary>Turns the pages of a fetched collection into normalized events, in the same stream as file reading.</summary>
public static class CollectionReader
{
    public static async IAsyncEnumerable<ReadItem> ReadEventsAsync(PagedCollectionClient client, string firstUrl, string scope, string nextLinkProperty,
        IEventNormalizer normalizer, FetchStatistics stats, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        long index = 0;
        await foreach (var item in client.ReadAsync(firstUrl, scope, nextLinkProperty, stats, cancellation).ConfigureAwait(false))
        {
            if (item.Note is not null) { yield return ReadItem.Verbose(item.Note); continue; }
            if (item.Problem is not null) { yield return ReadItem.Of(item.Problem); continue; }
            foreach (var record in item.Records!)
            {
                var context = new RecordContext(item.Url, index++, "value", item.Envelope);
                CloudIdEvent? e = null;
                ReadProblem? problem = null;
                try
                {
                    e = normalizer.Normalize(record, context);
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Text.Json.JsonException or ArgumentException)
                {
                    problem = new ReadProblem("LogRecordInvalid", ProblemSeverity.Error, item.Url, context.Index, null, $"The {normalizer.Name} record could not be normalized: {ex.Message}");
                }
                yield return problem is null ? ReadItem.Of(e!) : ReadItem.Of(problem);
            }
        }
    }
}
