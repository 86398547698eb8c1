using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;

namespace CloudIdentity.Commands;

/// <summary>Converts AWS Tools / Az objects (or hashtables) to JSON nodes so the engine reads them like exported JSON.</summary>
internal static class PSObjectJson
{
    public static JsonNode? Convert(object? value, int depth = 0)
    {
        if (value is PSObject pso && pso.BaseObject is not PSCustomObject) value = pso.BaseObject is string or ValueType or IDictionary or IEnumerable ? pso.BaseObject : pso;
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case DateTime dt: return JsonValue.Create((dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime()).ToString("o", CultureInfo.InvariantCulture));
            case DateTimeOffset dto: return JsonValue.Create(dto.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            case Enum e: return JsonValue.Create(e.ToString());
            case int or long or double or float or decimal or short or byte or uint or ulong:
                return JsonValue.Create(System.Convert.ToDouble(value, CultureInfo.InvariantCulture));
        }
        if (depth > 5) return JsonValue.Create(value.ToString());
        if (value is IDictionary dict)
        {
            var o = new JsonObject();
            foreach (DictionaryEntry kv in dict) o[kv.Key.ToString()!] = Convert(kv.Value, depth + 1);
            return o;
        }
        if (value is IEnumerable list and not PSObject)
        {
            var a = new JsonArray();
            foreach (var item in list) a.Add(Convert(item, depth + 1));
            return a;
        }
        var ps = value as PSObject ?? PSObject.AsPSObject(value);
        // AWS SDK "ConstantClass" enums (KeyManagerType…) carry a Value and print it.
        if (ps.BaseObject.GetType().BaseType?.Name == "ConstantClass") return JsonValue.Create(ps.BaseObject.ToString());
        var obj = new JsonObject();
        foreach (var p in ps.Properties)
        {
            if (!p.IsGettable || obj.ContainsKey(p.Name)) continue;
            object? v;
            try { v = p.Value; } catch (GetValueException) { continue; }
            obj[p.Name] = Convert(v, depth + 1);
        }
        return obj;
    }
}
