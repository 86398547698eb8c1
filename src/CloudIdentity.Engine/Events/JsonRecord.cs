using System.Collections;
using System.Text.Json;

namespace CloudIdentity.Engine.Events;

/// <summary>
/// An immutable JSON object from a log record. It is a read-only dictionary, so PowerShell navigates it with dot
/// notation (<c>$e.Raw.requestParameters.policyArn</c>), shows it as a key/value list and converts it with
/// <c>ConvertTo-Json</c>. Keys are looked up exactly first, then case-insensitively. The engine navigates it by
/// dotted paths.
/// </summary>
public sealed class JsonRecord : IDictionary
{
    public JsonRecord(JsonElement element) => Element = element;

    public JsonElement Element { get; }

    public static JsonRecord Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return new JsonRecord(doc.RootElement.Clone());
    }

    /// <summary>Follows a dotted path (<c>userIdentity.sessionContext.attributes.mfaAuthenticated</c>).</summary>
    public bool TryGet(string path, out JsonElement value) => JsonPath.TryGet(Element, path, out value);

    public string? GetString(string path) => TryGet(path, out var v) ? JsonPath.AsText(v) : null;

    /// <summary>Converts a JSON value to what PowerShell shows: records for objects, arrays, or CLR scalars.</summary>
    public static object? ToClr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new JsonRecord(value),
        JsonValueKind.Array => value.EnumerateArray().Select(ToClr).ToArray(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.TryGetDecimal(out var d) ? d : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public string ToJson() => Element.GetRawText();

    public override string ToString() => Element.GetRawText();

    private bool TryGetProperty(object key, out JsonElement value)
    {
        value = default;
        if (key is not string name || Element.ValueKind != JsonValueKind.Object) return false;
        if (Element.TryGetProperty(name, out value)) return true;
        foreach (var p in Element.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { value = p.Value; return true; }
        }
        return false;
    }

    private IEnumerable<JsonProperty> Properties =>
        Element.ValueKind == JsonValueKind.Object ? Element.EnumerateObject() : [];

    // IDictionary (read-only) ------------------------------------------------------------------------------

    public object? this[object key]
    {
        get => TryGetProperty(key, out var v) ? ToClr(v) : null;
        set => throw new NotSupportedException("Log records are read-only.");
    }

    public ICollection Keys => Properties.Select(p => p.Name).ToArray();
    public ICollection Values => Properties.Select(p => ToClr(p.Value)).ToArray();
    public bool IsReadOnly => true;
    public bool IsFixedSize => true;
    public int Count => Properties.Count();
    public bool IsSynchronized => false;
    public object SyncRoot => this;

    public bool Contains(object key) => TryGetProperty(key, out _);
    public void Add(object key, object? value) => throw new NotSupportedException("Log records are read-only.");
    public void Clear() => throw new NotSupportedException("Log records are read-only.");
    public void Remove(object key) => throw new NotSupportedException("Log records are read-only.");

    public void CopyTo(Array array, int index)
    {
        foreach (var p in Properties) array.SetValue(new DictionaryEntry(p.Name, ToClr(p.Value)), index++);
    }

    public IDictionaryEnumerator GetEnumerator() => new Enumerator(Properties.ToArray());

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(JsonProperty[] properties) : IDictionaryEnumerator
    {
        private int _i = -1;
        public DictionaryEntry Entry => new(properties[_i].Name, ToClr(properties[_i].Value));
        public object Key => properties[_i].Name;
        public object? Value => ToClr(properties[_i].Value);
        public object Current => Entry;
        public bool MoveNext() => ++_i < properties.Length;
        public void Reset() => _i = -1;
    }
}
