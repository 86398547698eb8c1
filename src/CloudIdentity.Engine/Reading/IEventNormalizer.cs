using System.Text.Json;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Turns one raw record of a log source into a <see cref="CloudIdEvent"/>. A new log source is one class that
/// implements this interface; <see cref="NormalizerCatalog"/> finds it by reflection.
/// </summary>
public interface IEventNormalizer
{
    /// <summary>Short name used with <c>-Source</c> (e.g. <c>CloudTrail</c>).</summary>
    string Name { get; }

    /// <summary>Sigma logsource, <c>product/service</c> (e.g. <c>aws/cloudtrail</c>).</summary>
    string LogSource { get; }

    /// <summary>How well a record fits this source: 0 not at all, higher is a better fit.</summary>
    int Score(JsonElement record, RecordContext context);

    CloudIdEvent Normalize(JsonElement record, RecordContext context);
}

/// <summary>Where a record sits: its origin, index, the container it came from and the wrapper's envelope.</summary>
public sealed record RecordContext(string Origin, long Index, string? Container, IReadOnlyDictionary<string, JsonElement>? Envelope);
