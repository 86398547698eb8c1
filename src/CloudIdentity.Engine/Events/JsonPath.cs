using System.Text.Json;

namespace CloudIdentity.Engine.Events;

/// <summary>Dotted-path navigation over JSON elements; used by normalizers and by rule matching.</summary>
public static class JsonPath
{
    public static bool TryGet(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        int start = 0;
        while (start <= path.Length)
        {
            int dot = path.IndexOf('.', start);
            var segment = dot < 0 ? path.AsSpan(start) : path.AsSpan(start, dot - start);
            if (value.ValueKind != JsonValueKind.Object || !TryGetProperty(value, segment, out value))
            {
                // A dotted name may also be a literal key ("detail.type" in some exports).
                if (start == 0 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty(path, out value))
                    return true;
                value = default;
                return false;
            }
            if (dot < 0) return true;
            start = dot + 1;
        }
        return true;
    }

    // Field names are case-sensitive, as JSON keys are: a source whose exports differ in casing maps them in its normalizer.
    private static bool TryGetProperty(JsonElement obj, ReadOnlySpan<char> name, out JsonElement value) =>
        obj.TryGetProperty(name, out value);

    /// <summary>A scalar as text (numbers in their JSON form); null for null, objects and arrays.</summary>
    public static string? AsText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
