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

    /// <summary>Resolves a field: nested path first, then a literal key holding dots (flattened exports).</summary>
    public static bool TryGet(JsonElement record, string field, out JsonElement value) =>
        JsonPath.TryGet(record, field, out value);

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
