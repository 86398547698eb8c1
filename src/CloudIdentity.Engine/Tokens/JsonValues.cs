using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>Turns JSON into plain .NET values (ordered dictionaries, object arrays, long/double, string, bool) for the pipeline.</summary>
internal static class JsonValues
{
    public static IReadOnlyDictionary<string, object?> ToDictionary(JsonElement obj)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject()) result[p.Name] = ToValue(p.Value);
        return result;
    }

    public static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ToDictionary(e),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToArray(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>True when an object (recursively) repeats a member name: RFC 7515 §4 lets us reject such headers.</summary>
    public static bool HasDuplicateMembers(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                if (!seen.Add(p.Name) || HasDuplicateMembers(p.Value)) return true;
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray()) if (HasDuplicateMembers(item)) return true;
        }
        return false;
    }

    public static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
