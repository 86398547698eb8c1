using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudIdentity.Engine.Posture;

/// <summary>Case-insensitive lookups over exported JSON with several possible property paths (CLI, ARM, SDK shapes).</summary>
public static class JsonNav
{
    /// <summary>The first path that exists ("a.b.c"); the bool says whether any path existed (a JSON null counts as existing).</summary>
    public static (bool Found, JsonNode? Value) Find(JsonNode? node, params string[] paths)
    {
        foreach (var path in paths)
        {
            var current = node;
            var ok = true;
            foreach (var part in path.Split('.'))
            {
                if (current is not JsonObject obj) { ok = false; break; }
                var match = obj.FirstOrDefault(kv => string.Equals(kv.Key, part, StringComparison.OrdinalIgnoreCase));
                if (match.Key is null) { ok = false; break; }
                current = match.Value;
            }
            if (ok) return (true, current);
        }
        return (false, null);
    }

    public static JsonNode? Get(JsonNode? node, params string[] paths) => Find(node, paths).Value;

    public static string? String(JsonNode? node, params string[] paths)
    {
        var v = Get(node, paths);
        return v is JsonValue jv ? jv.ToString() : v?.ToJsonString();
    }

    public static bool? Bool(JsonNode? node, params string[] paths)
    {
        var v = Get(node, paths);
        if (v is not JsonValue jv) return null;
        if (jv.TryGetValue<bool>(out var b)) return b;
        var s = jv.ToString();
        return bool.TryParse(s, out var p) ? p : null;
    }

    public static double? Number(JsonNode? node, params string[] paths)
    {
        var v = Get(node, paths);
        if (v is not JsonValue jv) return null;
        if (jv.TryGetValue<double>(out var d)) return d;
        return double.TryParse(jv.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    /// <summary>A date in ISO 8601 text or Unix seconds (the AWS CLI prints both forms).</summary>
    public static DateTimeOffset? Date(JsonNode? node, params string[] paths)
    {
        var v = Get(node, paths);
        if (v is not JsonValue jv) return null;
        if (jv.GetValueKind() == JsonValueKind.Number && jv.TryGetValue<double>(out var epoch)) return DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000));
        var s = jv.ToString();
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
    }
}
