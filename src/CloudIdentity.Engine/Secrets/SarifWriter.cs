using System.Text;
using System.Text.Json;

namespace CloudIdentity.Engine.Secrets;

/// <summary>Writes findings as SARIF 2.1.0 (one run, one rule per pattern, masked messages, partial fingerprints).</summary>
public static class SarifWriter
{
    public const string FingerprintKey = "cloudIdSecret/v1";

    public static string Write(IReadOnlyList<SecretFinding> findings, string? basePath, PatternCatalog? catalog = null)
    {
        catalog ??= PatternCatalog.BuiltIn;
        var ruleIds = findings.Select(f => f.PatternId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "CloudIdentity");
            w.WriteString("semanticVersion", typeof(SarifWriter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            w.WriteStartArray("rules");
            foreach (var id in ruleIds)
            {
                var p = catalog.Find(id);
                var sample = findings.First(f => f.PatternId == id);
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("name", ToPascal(id));
                w.WriteStartObject("shortDescription"); w.WriteString("text", p?.Title ?? sample.Title); w.WriteEndObject();
                w.WriteStartObject("defaultConfiguration"); w.WriteString("level", Level(sample.Severity)); w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteString("security-severity", SecuritySeverity(sample.Severity));
                w.WriteStartArray("tags"); w.WriteStringValue("security"); w.WriteStringValue("secret"); w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject(); // driver
            w.WriteEndObject(); // tool
            w.WriteStartArray("results");
            foreach (var f in findings)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", f.PatternId);
                w.WriteNumber("ruleIndex", ruleIds.IndexOf(f.PatternId));
                w.WriteString("level", Level(f.Severity));
                var where = f.EntryPath.Length > 0 ? $" in {f.EntryPath}" : "";
                w.WriteStartObject("message"); w.WriteString("text", $"{f.Title} {f.Masked}{where}"); w.WriteEndObject();
                w.WriteStartArray("locations");
                w.WriteStartObject();
                w.WriteStartObject("physicalLocation");
                w.WriteStartObject("artifactLocation"); w.WriteString("uri", ToUri(f.Path, basePath)); w.WriteEndObject();
                if (f.EntryPath.Length == 0)
                {
                    w.WriteStartObject("region");
                    if (f.Line > 0) { w.WriteNumber("startLine", f.Line); w.WriteNumber("startColumn", f.Column); }
                    else w.WriteNumber("byteOffset", f.ByteOffset);
                    w.WriteEndObject();
                }
                w.WriteEndObject(); // physicalLocation
                if (f.EntryPath.Length > 0)
                {
                    w.WriteStartArray("logicalLocations");
                    w.WriteStartObject(); w.WriteString("fullyQualifiedName", f.Location); w.WriteString("kind", "module"); w.WriteEndObject();
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartObject("partialFingerprints"); w.WriteString(FingerprintKey, f.Fingerprint); w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteString("entryPath", f.EntryPath);
                if (f.EntryPath.Length > 0) { w.WriteNumber("line", f.Line); w.WriteNumber("byteOffset", f.ByteOffset); }
                w.WriteString("verification", f.Verification.ToString());
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject(); // run
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static string ToUri(string path, string? basePath)
    {
        if (basePath is not null && System.IO.Path.IsPathFullyQualified(path))
        {
            var rel = System.IO.Path.GetRelativePath(basePath, path);
            if (!rel.StartsWith("..", StringComparison.Ordinal) && !System.IO.Path.IsPathFullyQualified(rel))
                return string.Join('/', rel.Split(System.IO.Path.DirectorySeparatorChar, '/').Select(Uri.EscapeDataString));
        }
        return System.IO.Path.IsPathFullyQualified(path) ? new Uri(path).AbsoluteUri : path;
    }

    private static string Level(SecretSeverity s) => s >= SecretSeverity.High ? "error" : s == SecretSeverity.Medium ? "warning" : "note";

    private static string SecuritySeverity(SecretSeverity s) => s switch
    {
        SecretSeverity.Critical => "9.5", SecretSeverity.High => "8.0", SecretSeverity.Medium => "5.5", _ => "3.0",
    };

    private static string ToPascal(string id) => string.Concat(id.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}

/// <summary>Reads a baseline of known-finding fingerprints: text (one per line, '#' comments) or JSON (findings or SARIF).</summary>
public static class Baseline
{
    public static HashSet<string> Load(string path)
    {
        var text = File.ReadAllText(path);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            using var doc = JsonDocument.Parse(trimmed);
            Collect(doc.RootElement, set, 0);
            return set;
        }
        foreach (var line in text.Split('\n'))
        {
            var l = line.Trim();
            if (l.Length == 0 || l.StartsWith('#')) continue;
            set.Add(l.Split(' ', '\t', ',')[0]);
        }
        return set;
    }

    private static void Collect(JsonElement e, HashSet<string> set, int depth)
    {
        if (depth > 12) return;
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray()) Collect(x, set, depth + 1);
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if ((p.NameEquals("Fingerprint") || p.NameEquals("fingerprint") || p.NameEquals(SarifWriter.FingerprintKey)) && p.Value.ValueKind == JsonValueKind.String)
                        set.Add(p.Value.GetString()!);
                    else Collect(p.Value, set, depth + 1);
                }
                break;
        }
    }
}
