using System.Text.Json;

namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Takes what the scanner found and returns the log record inside it, decoding serialised records exactly once:
/// LookupEvents / <c>Find-CTEvent</c> envelopes (<c>CloudTrailEvent</c> string), CloudWatch Logs subscription
/// messages (<c>logEvents[].message</c>), CloudTrail Lake result rows (lists of single-key objects) and records
/// stored as JSON strings. CloudTrail digest files and CloudWatch control messages hold no events.
/// </summary>
public static class RecordUnwrapper
{
    public enum Kind { Record, Skip, Problem }

    /// <param name="SourceHint">The log source the wrapper implies (a LookupEvents envelope is CloudTrail).</param>
    public readonly record struct Result(Kind Kind, JsonElement Record, string? Reason, string? ErrorId = null, string? SourceHint = null);

    public static Result Unwrap(JsonElement value, string? container, IReadOnlyDictionary<string, JsonElement>? envelope)
    {
        if (container == "logEvents")
        {
            if (envelope is not null && envelope.TryGetValue("messageType", out var mt) && mt.ValueKind == JsonValueKind.String && mt.GetString() == "CONTROL_MESSAGE")
                return new Result(Kind.Skip, default, "CloudWatch Logs control message");
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                return Decode(message.GetString()!, "logEvents[].message");
        }

        if (container == "QueryResultRows" && value.ValueKind == JsonValueKind.Array)
            return new Result(Kind.Record, MergeLakeRow(value), null);

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return Decode(value.GetString()!, "a JSON string");
            case JsonValueKind.Object:
                if (value.TryGetProperty("CloudTrailEvent", out var inner) && inner.ValueKind == JsonValueKind.String)
                {
                    var decoded = Decode(inner.GetString()!, "CloudTrailEvent");
                    if (decoded.Kind == Kind.Problem)
                    {
                        // Keep what the envelope says, with a warning that carries the EventId.
                        var eventId = value.TryGetProperty("EventId", out var eid) ? eid.ToString() : "(no EventId)";
                        return new Result(Kind.Record, FromLookupEnvelope(value),
                            $"LookupEvents record {eventId}: {decoded.Reason} Only the envelope fields are kept.", "CloudTrailEventMalformed", CloudTrailHint);
                    }
                    return decoded with { SourceHint = CloudTrailHint };
                }
                if (container is null && IsDigest(value))
                    return new Result(Kind.Skip, default, "CloudTrail digest file (holds no events)");
                return new Result(Kind.Record, value, null);
            default:
                return new Result(Kind.Problem, default, $"Expected a record object, found {value.ValueKind}.", "LogRecordUnexpectedType");
        }
    }

    private const string CloudTrailHint = "CloudTrail";

    public static bool IsDigest(JsonElement o) =>
        o.ValueKind == JsonValueKind.Object && (o.TryGetProperty("digestStartTime", out _) || (o.TryGetProperty("logFiles", out _) && o.TryGetProperty("digestS3Object", out _)));

    private static Result Decode(string text, string what)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new Result(Kind.Problem, default, $"{what} holds {root.ValueKind}, not a record object.", "LogRecordUnexpectedType");
            return new Result(Kind.Record, root.Clone(), null);
        }
        catch (JsonException e)
        {
            return new Result(Kind.Problem, default, $"{what} is not valid JSON: {e.Message.Split(" Path:")[0]}", "LogRecordMalformed");
        }
    }

    /// <summary>The LookupEvents envelope's own fields, in CloudTrail record names.</summary>
    private static JsonElement FromLookupEnvelope(JsonElement envelope)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            void Copy(string from, string to)
            {
                if (envelope.TryGetProperty(from, out var v) && !(v.ValueKind == JsonValueKind.String && v.GetString()!.Length == 0))
                {
                    w.WritePropertyName(to);
                    v.WriteTo(w);
                }
            }
            Copy("EventId", "eventID");
            Copy("EventName", "eventName");
            Copy("EventTime", "eventTime");
            Copy("EventSource", "eventSource");
            Copy("ReadOnly", "readOnly");
            Copy("AccessKeyId", "accessKeyId");
            if (envelope.TryGetProperty("Username", out var user))
            {
                w.WriteStartObject("userIdentity");
                w.WritePropertyName("userName");
                user.WriteTo(w);
                w.WriteEndObject();
            }
            Copy("Resources", "resources");
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(stream.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>A CloudTrail Lake row is a list of single-key objects; it becomes one object.</summary>
    private static JsonElement MergeLakeRow(JsonElement row)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var cell in row.EnumerateArray())
            {
                if (cell.ValueKind != JsonValueKind.Object) continue;
                foreach (var p in cell.EnumerateObject()) p.WriteTo(w);
            }
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(stream.ToArray());
        return doc.RootElement.Clone();
    }
}
