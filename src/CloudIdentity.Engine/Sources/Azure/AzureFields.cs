using System.Text.Json;
using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Sources.Azure;

/// <summary>
/// Reads fields of one Microsoft log record whatever its shape: Graph/REST (camelCase at top level), Azure Monitor
/// diagnostic-settings exports (the payload under <c>properties</c>, envelope fields at top level), Log Analytics
/// tables (PascalCase columns whose nested objects are JSON <em>strings</em>) and Graph PowerShell SDK objects
/// (PascalCase). Names match case-insensitively; a JSON string met on the way is decoded once.
/// </summary>
public readonly struct AzureFields
{
    private readonly JsonElement _record;
    private readonly JsonElement _payload;

    public AzureFields(JsonElement record)
    {
        _record = record;
        _payload = record.ValueKind == JsonValueKind.Object && Find(record, "properties", out var p) && p.ValueKind == JsonValueKind.Object
            && (Find(record, "category", out _) || Find(record, "operationName", out _))
            ? p : default;
    }

    public JsonElement Record => _record;

    /// <summary>True when the record is a diagnostic-settings export (payload under <c>properties</c>).</summary>
    public bool IsDiagnosticExport => _payload.ValueKind == JsonValueKind.Object;

    /// <summary>A value from the payload first, then from the record itself.</summary>
    public bool TryGet(string path, out JsonElement value)
    {
        if (_payload.ValueKind == JsonValueKind.Object && TryPath(_payload, path, out value)) return true;
        return TryPath(_record, path, out value);
    }

    /// <summary>A value from the record's top level only (the envelope of a diagnostic export).</summary>
    public bool TryGetTop(string path, out JsonElement value) => TryPath(_record, path, out value);

    public string? Text(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (TryGet(path, out var v))
            {
                var s = ScalarOrValue(v);
                if (!string.IsNullOrEmpty(s)) return s;
            }
        }
        return null;
    }

    public string? TopText(string path) => TryGetTop(path, out var v) ? ScalarOrValue(v) is { Length: > 0 } s ? s : null : null;

    /// <summary>A scalar as text; a <c>{value, localizedValue}</c> object gives its <c>value</c>.</summary>
    public static string? ScalarOrValue(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Object && Find(v, "value", out var inner)) return JsonPath.AsText(inner);
        return JsonPath.AsText(v);
    }

    public static bool TryPath(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        foreach (var segment in path.Split('.'))
        {
            value = Decode(value);
            if (value.ValueKind != JsonValueKind.Object || !Find(value, segment, out value))
            {
                value = default;
                return false;
            }
        }
        value = Decode(value);
        return value.ValueKind != JsonValueKind.Undefined;
    }

    /// <summary>A property by name, exactly first, then ignoring case.</summary>
    public static bool Find(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object) return false;
        if (obj.TryGetProperty(name, out value)) return true;
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { value = p.Value; return true; }
        }
        return false;
    }

    /// <summary>A JSON string that holds an object or array (Log Analytics columns) becomes that value.</summary>
    public static JsonElement Decode(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.String) return v;
        var s = v.GetString();
        if (s is null || s.Length < 2) return v;
        var first = s.AsSpan().TrimStart();
        if (first.Length == 0 || (first[0] != '{' && first[0] != '[')) return v;
        try
        {
            using var doc = JsonDocument.Parse(s);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return v;
        }
    }

    public static bool? Bool(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => v.GetString()?.Trim().ToLowerInvariant() switch { "true" => true, "false" => false, _ => null },
        _ => null,
    };
}
