using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace CloudIdentity.Commands;

/// <summary>
/// Turns objects of other modules into JSON records, duck-typed: the Microsoft Graph PowerShell SDK's models
/// (<c>Get-MgAuditLogSignIn</c>, <c>Get-MgAuditLogDirectoryAudit</c>: PascalCase properties plus an
/// <c>AdditionalProperties</c> dictionary whose entries are merged in) and PSCustomObjects (<c>ConvertFrom-Json</c>).
/// Dates are written as ISO 8601 with their offset, so the instant is kept whatever the host's time zone.
/// </summary>
internal static class PipelineObjectJson
{
    private const int MaxDepth = 12;

    /// <summary>True for objects this class can convert: Graph SDK models and property bags.</summary>
    public static bool CanConvert(PSObject input)
    {
        var b = input.BaseObject;
        if (b is PSCustomObject) return true;
        if (b.GetType().FullName?.StartsWith("Microsoft.Graph.", StringComparison.Ordinal) == true) return true;
        return input.Properties["AdditionalProperties"]?.Value is IDictionary;
    }

    public static string ToJson(PSObject input)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteValue(w, input, 0);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter w, object? value, int depth)
    {
        if (value is PSObject pso && pso.BaseObject is not PSCustomObject) value = pso.BaseObject;
        switch (value)
        {
            case null: w.WriteNullValue(); return;
            case string s: w.WriteStringValue(s); return;
            case bool b: w.WriteBooleanValue(b); return;
            case DateTime dt:
                // Graph SDK dates are UTC; a date without a kind is taken as UTC, never as host-local.
                var utc = dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime();
                w.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto: w.WriteStringValue(dto.ToString("o", CultureInfo.InvariantCulture)); return;
            case Guid g: w.WriteStringValue(g.ToString()); return;
            case Enum e:
                var name = e.ToString();
                w.WriteStringValue(name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name);
                return;
            case byte or sbyte or short or ushort or int or uint or long or ulong:
                w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
            case float or double or decimal:
                w.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); return;
        }
        if (depth >= MaxDepth) { w.WriteStringValue(value.ToString()); return; }
        if (value is IDictionary dict)
        {
            w.WriteStartObject();
            foreach (DictionaryEntry entry in dict)
            {
                w.WritePropertyName(entry.Key.ToString() ?? "");
                WriteValue(w, entry.Value, depth + 1);
            }
            w.WriteEndObject();
            return;
        }
        if (value is IEnumerable list)
        {
            w.WriteStartArray();
            foreach (var item in list) WriteValue(w, item, depth + 1);
            w.WriteEndArray();
            return;
        }
        var obj = value as PSObject ?? PSObject.AsPSObject(value);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        w.WriteStartObject();
        foreach (var p in obj.Properties)
        {
            if (p.MemberType is not (PSMemberTypes.Property or PSMemberTypes.NoteProperty)) continue;
            if (p.Name is "AdditionalProperties" or "BackingStore") continue;
            object? v;
            try { v = p.Value; } catch (Exception) { continue; }
            if (!written.Add(p.Name)) continue;
            w.WritePropertyName(p.Name);
            WriteValue(w, v, depth + 1);
        }
        if (obj.Properties["AdditionalProperties"]?.Value is IDictionary extra)
        {
            foreach (DictionaryEntry entry in extra)
            {
                var key = entry.Key.ToString() ?? "";
                if (!written.Add(key)) continue;
                w.WritePropertyName(key);
                WriteValue(w, entry.Value, depth + 1);
            }
        }
        w.WriteEndObject();
    }
}
