using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Secrets;

/// <summary>
/// Scans container images layer by layer: a <c>docker save</c> tarball (manifest.json, optionally gzipped) and an
/// OCI image layout folder (oci-layout, index.json, blobs/). Locations read <c>image!layer!path</c>; the image
/// config's environment variables and history are scanned as <c>image!config!Env[i]</c> and <c>image!config!history[i]</c>.
/// </summary>
internal sealed partial class ContainerImageScanner(SecretScanner scanner)
{
    private const int SmallEntry = 4 * 1024 * 1024;

    /// <summary>Scans <paramref name="path"/> as a docker-save archive if it is one; false when it is not an image.</summary>
    public static bool TryScanDockerArchive(SecretScanner scanner, string path, List<ScanItem> sink, CancellationToken cancel)
    {
        Dictionary<string, byte[]>? small;
        try { small = ReadImageMetadata(path); }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException) { return false; }
        if (small is null) return false;
        var image = new ContainerImageScanner(scanner);
        return image.ScanDockerArchive(path, small, sink, cancel);
    }

    private static Stream OpenMaybeGzip(string path)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var b0 = fs.ReadByte(); var b1 = fs.ReadByte();
        fs.Position = 0;
        return b0 == 0x1F && b1 == 0x8B ? new GZipStream(fs, CompressionMode.Decompress) : fs;
    }

    /// <summary>First pass: the small JSON entries of an image tarball, or null when the tar does not look like an image.</summary>
    private static Dictionary<string, byte[]>? ReadImageMetadata(string path)
    {
        using (var probe = File.OpenRead(path))
        {
            Span<byte> head = stackalloc byte[512];
            var n = probe.ReadAtLeast(head, 512, throwOnEndOfStream: false);
            var type = ContentSniffer.Detect(head[..n]).Type;
            if (type is not (ContentType.Tar or ContentType.Gzip)) return null;
        }
        using var stream = OpenMaybeGzip(path);
        using var tar = new TarReader(stream);
        var first = tar.GetNextEntry();
        if (first is null || !ImageEntryName().IsMatch(first.Name)) return null;
        var small = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var e = first; e is not null; e = tar.GetNextEntry())
        {
            var name = e.Name.StartsWith("./", StringComparison.Ordinal) ? e.Name[2..] : e.Name;
            if (e.DataStream is null || e.Length > SmallEntry) continue;
            if (name.EndsWith(".json", StringComparison.Ordinal) || name.StartsWith("blobs/", StringComparison.Ordinal) || name is "oci-layout" or "repositories")
            {
                var ms = new MemoryStream();
                e.DataStream.CopyTo(ms);
                small[name] = ms.ToArray();
            }
        }
        return small.ContainsKey("manifest.json") ? small : null;
    }

    private bool ScanDockerArchive(string path, Dictionary<string, byte[]> small, List<ScanItem> sink, CancellationToken cancel)
    {
        using var manifestDoc = JsonDocument.Parse(small["manifest.json"]);
        if (manifestDoc.RootElement.ValueKind != JsonValueKind.Array) return false;
        var layerOwners = new Dictionary<string, (string Image, string Layer)>(StringComparer.Ordinal);
        foreach (var m in manifestDoc.RootElement.EnumerateArray())
        {
            var tags = m.TryGetProperty("RepoTags", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault() : null;
            var image = tags ?? System.IO.Path.GetFileName(path);
            var config = m.TryGetProperty("Config", out var c) ? c.GetString() : null;
            if (config is not null && small.TryGetValue(config, out var configBytes))
                ScanConfig(configBytes, $"{path}!{image}", sink);
            if (m.TryGetProperty("Layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
                foreach (var l in layers.EnumerateArray().Select(x => x.GetString()).OfType<string>())
                    layerOwners.TryAdd(l, (image, LayerName(l)));
        }
        // Second pass: each layer entry is itself a (possibly gzipped) tar of the layer's files.
        using var stream = OpenMaybeGzip(path);
        using var tar = new TarReader(stream);
        TarEntry? entry;
        while ((entry = tar.GetNextEntry()) is not null)
        {
            cancel.ThrowIfCancellationRequested();
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (entry.DataStream is null || !layerOwners.TryGetValue(name, out var owner)) continue;
            scanner.ScanStream(entry.DataStream, [path, owner.Image, owner.Layer], 0, sink, entry.Length, cancel);
        }
        return true;
    }

    public void ScanOciLayout(string folder, List<ScanItem> sink, CancellationToken cancel)
    {
        var blobs = System.IO.Path.Combine(folder, "blobs");
        using var index = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(folder, "index.json")));
        var fallbackName = System.IO.Path.GetFileName(folder.TrimEnd('/', '\\'));
        foreach (var (manifestDigest, refName) in Manifests(index.RootElement, blobs, 0))
        {
            var image = refName ?? fallbackName;
            var manifestPath = BlobPath(blobs, manifestDigest);
            if (manifestPath is null) { sink.Add(SecretScanner.Notice(ScanNoticeKind.ReadError, $"{folder}!{image}", $"manifest blob {manifestDigest} is missing")); continue; }
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            if (manifest.RootElement.TryGetProperty("config", out var config) && config.TryGetProperty("digest", out var cd)
                && BlobPath(blobs, cd.GetString()) is { } configPath)
                ScanConfig(File.ReadAllBytes(configPath), $"{folder}!{image}", sink);
            if (!manifest.RootElement.TryGetProperty("layers", out var layers)) continue;
            foreach (var layer in layers.EnumerateArray())
            {
                var digest = layer.TryGetProperty("digest", out var d) ? d.GetString() : null;
                var blob = BlobPath(blobs, digest);
                if (blob is null) { sink.Add(SecretScanner.Notice(ScanNoticeKind.ReadError, $"{folder}!{image}", $"layer blob {digest} is missing")); continue; }
                using var fs = new FileStream(blob, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
                scanner.ScanStream(fs, [folder, image, LayerName(digest!)], 0, sink, new FileInfo(blob).Length, cancel);
            }
        }
    }

    private static IEnumerable<(string Digest, string? RefName)> Manifests(JsonElement index, string blobs, int depth)
    {
        if (depth > 3 || !index.TryGetProperty("manifests", out var manifests)) yield break;
        foreach (var m in manifests.EnumerateArray())
        {
            var digest = m.TryGetProperty("digest", out var d) ? d.GetString() : null;
            if (digest is null) continue;
            string? refName = null;
            if (m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var r)) refName = r.GetString();
            var media = m.TryGetProperty("mediaType", out var mt) ? mt.GetString() : "";
            if (media is not null && media.Contains("index", StringComparison.Ordinal) && BlobPath(blobs, digest) is { } nested)
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(nested));
                foreach (var inner in Manifests(doc.RootElement, blobs, depth + 1).ToList()) yield return (inner.Digest, inner.RefName ?? refName);
                continue;
            }
            yield return (digest, refName);
        }
    }

    private static string? BlobPath(string blobs, string? digest)
    {
        if (digest is null) return null;
        var colon = digest.IndexOf(':');
        if (colon <= 0) return null;
        var algorithm = digest[..colon];
        var hex = digest[(colon + 1)..];
        if (!Regex.IsMatch(hex, "^[a-f0-9]{32,128}$") || !Regex.IsMatch(algorithm, "^[a-z0-9]+$")) return null;
        var p = System.IO.Path.Combine(blobs, algorithm, hex);
        return File.Exists(p) ? p : null;
    }

    /// <summary>Scans the image config's Env values and history commands (where build-time secrets often end up).</summary>
    private void ScanConfig(byte[] json, string imageLocation, List<ScanItem> sink)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { sink.Add(SecretScanner.Notice(ScanNoticeKind.ReadError, $"{imageLocation}!config", $"image config is not JSON: {e.Message}")); return; }
        using (doc)
        {
            var root = doc.RootElement;
            foreach (var section in new[] { "config", "container_config" })
            {
                if (!root.TryGetProperty(section, out var cfg) || cfg.ValueKind != JsonValueKind.Object) continue;
                if (cfg.TryGetProperty("Env", out var env) && env.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var e in env.EnumerateArray())
                    {
                        if (e.GetString() is { } value) ScanConfigText(value, $"{imageLocation}!config!{section}.Env[{i}]", sink);
                        i++;
                    }
                }
                if (section == "container_config") continue;
                foreach (var key in new[] { "Cmd", "Entrypoint" })
                    if (cfg.TryGetProperty(key, out var cmd) && cmd.ValueKind == JsonValueKind.Array)
                        ScanConfigText(string.Join(' ', cmd.EnumerateArray().Select(x => x.ToString())), $"{imageLocation}!config!{key}", sink);
                if (cfg.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
                    foreach (var l in labels.EnumerateObject())
                        ScanConfigText($"{l.Name}={l.Value}", $"{imageLocation}!config!Labels.{l.Name}", sink);
            }
            if (root.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var h in history.EnumerateArray())
                {
                    if (h.TryGetProperty("created_by", out var cb) && cb.GetString() is { } text) ScanConfigText(text, $"{imageLocation}!config!history[{i}]", sink);
                    i++;
                }
            }
        }
    }

    private void ScanConfigText(string text, string location, List<ScanItem> sink)
    {
        var before = sink.Count;
        var parts = location.Split('!');
        var items = scanner.ScanText(text, location);
        foreach (var item in items)
        {
            if (item.Finding is { } f)
            {
                // Re-home the finding: outer file as Path, the rest as the entry path.
                sink.Add(new ScanItem(f.WithLocation(parts[0], string.Join("!", parts.Skip(1)), "ImageConfig"), null));
            }
            else sink.Add(item);
        }
    }

    private static string LayerName(string layer)
    {
        // "<64 hex>/layer.tar" (docker save) or "blobs/sha256/<hex>" or "sha256:<hex>".
        var m = Regex.Match(layer, "([a-f0-9]{64})");
        return m.Success ? "sha256:" + m.Groups[1].Value[..12] : layer;
    }

    [GeneratedRegex(@"^(?:\./)?(?:manifest\.json|repositories|oci-layout|index\.json|blobs/|[a-f0-9]{64}(?:/|\.json|\.tar))")]
    private static partial Regex ImageEntryName();
}

internal static class OciLayout
{
    public static bool IsLayout(string folder) =>
        File.Exists(System.IO.Path.Combine(folder, "oci-layout")) && File.Exists(System.IO.Path.Combine(folder, "index.json"));
}
