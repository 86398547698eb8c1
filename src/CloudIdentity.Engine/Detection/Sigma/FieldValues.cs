using System.Text.Json;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>How rule matching reads values out of a JSON record.</summary>
internal static class FieldValues
{
    /// <summary>
    /// The text a value is compared as: strings as they are, numbers in their JSON form, booleans as true/false,
    /// objects and arrays as their JSON text (so <c>contains</c> can search inside them); null for JSON null.
    /// </summary>
    public static string? Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object or JsonValueKind.Array => v.GetRawText(),
        _ => null,
    };

    /// <summary>
    /// Resolves a field: nested path first, then a literal key holding dots (flattened exports), then a path that
    /// continues inside a field holding a JSON document as a string (CloudTrail policy documents, Azure
    /// <c>properties</c> exported as text), e.g. <c>requestParameters.policyDocument.Statement.Effect</c>.
    /// </summary>
    public static bool TryGet(JsonElement record, string field, out JsonElement value)
    {
        if (JsonPath.TryGet(record, field, out value)) return true;
        return field.Contains('.') && TryGetThroughJsonText(record, field, out value);
    }

    private static bool TryGetThroughJsonText(JsonElement record, string field, out JsonElement value)
    {
        value = default;
        var found = new List<JsonElement>();
        Resolve(record, field.Split('.'), 0, found);
        if (found.Count == 0) return false;
        if (found.Count == 1) { value = found[0]; return true; }
        // Several values (a path through an array of objects): a list, which matches when any element does.
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var f in found) f.WriteTo(w);
            w.WriteEndArray();
        }
        using var doc = JsonDocument.Parse(stream.ToArray());
        value = doc.RootElement.Clone();
        return true;
    }

    /// <summary>Follows path segments, descending into JSON text and through arrays of objects.</summary>
    private static void Resolve(JsonElement current, string[] segments, int i, List<JsonElement> found)
    {
        if (i == segments.Length) { found.Add(current); return; }
        switch (current.ValueKind)
        {
            case JsonValueKind.String:
                var text = current.GetString();
                if (text is null || text.Length < 2 || (text[0] != '{' && text[0] != '[')) return;
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    Resolve(doc.RootElement.Clone(), segments, i, found);
                }
                catch (JsonException)
                {
                }
                return;
            case JsonValueKind.Array:
                foreach (var item in current.EnumerateArray()) Resolve(item, segments, i, found);
                return;
            case JsonValueKind.Object:
                if (JsonPath.TryGet(current, segments[i], out var next)) Resolve(next, segments, i + 1, found);
                return;
        }
    }

    /// <summary>Every scalar leaf in a record as text, for keyword (field-less) searches.</summary>
    public static IEnumerable<string> Leaves(JsonElement v) => LeafElements(v).Select(e => Text(e)!);

    /// <summary>Every non-null scalar leaf in a record.</summary>
    public static IEnumerable<JsonElement> LeafElements(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in v.EnumerateObject())
                    foreach (var s in LeafElements(p.Value)) yield return s;
                break;
            case JsonValueKind.Array:
                foreach (var item in v.EnumerateArray())
                    foreach (var s in LeafElements(item)) yield return s;
                break;
            case JsonValueKind.String:
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                yield return v;
                break;
        }
    }
}
