using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudIdentity.Engine.Tokens;

/// <summary>One recorded key set: which keys an issuer published when it was seen.</summary>
public sealed class SigningKeySetRecord
{
    public required string Issuer { get; init; }
    public required DateTimeOffset SeenAt { get; init; }
    public required IReadOnlyList<string> KeyIds { get; init; }
    public required string Path { get; init; }
    public int KeyCount => KeyIds.Count;
    internal IReadOnlyList<(string? Kid, string? Thumbprint)> Keys { get; init; } = [];
}

/// <summary>When a key was last published and when it was first seen gone.</summary>
public sealed record KeyRetirement(DateTimeOffset LastSeen, DateTimeOffset RetiredBy);

/// <summary>
/// A local history of an issuer's published key sets (one JSON file per observation), used to tell that a token
/// was signed by a key the issuer had already retired when the token claims to have been issued.
/// The default store lives under the user's local application data, never the current directory.
/// </summary>
public sealed class SigningKeyHistory(string storePath)
{
    public string StorePath { get; } = storePath;

    public static string DefaultStorePath => System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "CloudIdentity", "SigningKeyHistory");

    public SigningKeySetRecord Save(string issuer, string jwksJson, DateTimeOffset seenAt)
    {
        var set = SigningKeySet.Parse(jwksJson, issuer); // validates the JSON before anything is written
        var folder = IssuerFolder(issuer);
        Directory.CreateDirectory(folder);
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(jwksJson)))[..8].ToLowerInvariant();
        var path = System.IO.Path.Combine(folder, $"{seenAt.UtcDateTime:yyyyMMddTHHmmssZ}-{digest}.json");
        using (var doc = JsonDocument.Parse(jwksJson))
        using (var stream = File.Create(path))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("issuer", issuer);
            writer.WriteString("seenAt", seenAt.ToUniversalTime());
            writer.WritePropertyName("jwks");
            doc.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Record(issuer, seenAt, set, path);
    }

    /// <summary>The recorded key sets for an issuer, oldest first.</summary>
    public IReadOnlyList<SigningKeySetRecord> Load(string issuer)
    {
        var folder = IssuerFolder(issuer);
        if (!Directory.Exists(folder)) return [];
        var records = new List<SigningKeySetRecord>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                var root = doc.RootElement;
                var seen = root.GetProperty("seenAt").GetDateTimeOffset();
                records.Add(Record(root.GetProperty("issuer").GetString()!, seen, SigningKeySet.FromElement(root.GetProperty("jwks"), file), file));
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IOException)
            {
                // An unreadable snapshot says nothing about retirement; skip it.
            }
        }
        return records.OrderBy(r => r.SeenAt).ToArray();
    }

    /// <summary>When the key (same kid and key material) was retired, if the history shows it published and later gone.</summary>
    public KeyRetirement? FindRetirement(string issuer, string? kid, string thumbprint)
    {
        var records = Load(issuer);
        var lastPresent = -1;
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Keys.Any(k => k.Thumbprint == thumbprint && (kid is null || k.Kid == kid))) lastPresent = i;
        }
        if (lastPresent < 0 || lastPresent == records.Count - 1) return null;
        return new KeyRetirement(records[lastPresent].SeenAt, records[lastPresent + 1].SeenAt);
    }

    private string IssuerFolder(string issuer)
    {
        var safe = new string(issuer.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
        if (safe.Length > 60) safe = safe[..60];
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)))[..10].ToLowerInvariant();
        return System.IO.Path.Combine(StorePath, $"{safe}-{hash}");
    }

    private static SigningKeySetRecord Record(string issuer, DateTimeOffset seenAt, SigningKeySet set, string path) => new()
    {
        Issuer = issuer,
        SeenAt = seenAt,
        KeyIds = set.Keys.Select(k => k.KeyId ?? "(no kid)").ToArray(),
        Keys = set.Keys.Select(k => (k.KeyId, k.Thumbprint)).ToArray(),
        Path = path,
    };
}
