using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Engine.Tests.Secrets;

public sealed class ContainerImageTests : IDisposable
{
    private const string T = ScannerEdgeCaseTests.T;
    private const string EnvToken = "ghs_CloudIdFakeTokenForTests0000012kSXSd";
    private readonly string _dir = Directory.CreateTempSubdirectory("cloudid-images-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    internal static byte[] LayerTar(params (string Name, string Content)[] files)
    {
        var ms = new MemoryStream();
        using (var tw = new TarWriter(ms, TarEntryFormat.Pax, true))
            foreach (var (name, content) in files)
                tw.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var g = new GZipStream(ms, CompressionLevel.Fastest, true)) g.Write(data);
        return ms.ToArray();
    }

    private static string ConfigJson() =>
        $$$"""{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin","GITHUB_TOKEN={{{EnvToken}}}"],"Cmd":["/app"]},"history":[{"created_by":"/bin/sh -c #(nop) ADD file:abc in / "},{"created_by":"RUN /bin/sh -c echo ok"}]}""";

    /// <summary>Writes a docker-save archive (old layout: &lt;id&gt;/layer.tar, &lt;config&gt;.json, manifest.json).</summary>
    internal static void WriteDockerSave(string path, byte[][] layers, string config, string tag)
    {
        using var fs = File.Create(path);
        using var tw = new TarWriter(fs, TarEntryFormat.Ustar, false);
        var layerNames = new List<string>();
        foreach (var layer in layers)
        {
            var id = Convert.ToHexString(SHA256.HashData(layer)).ToLowerInvariant();
            layerNames.Add($"{id}/layer.tar");
            tw.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{id}/layer.tar") { DataStream = new MemoryStream(layer) });
        }
        var configName = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(config))).ToLowerInvariant() + ".json";
        tw.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, configName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(config)) });
        var manifest = $$$"""[{"Config":"{{{configName}}}","RepoTags":["{{{tag}}}"],"Layers":[{{{string.Join(",", layerNames.Select(l => $"\"{l}\""))}}}]}]""";
        tw.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
    }

    [Fact]
    public void Docker_save_tarball_is_scanned_layer_by_layer_including_config()
    {
        var layer1 = LayerTar(("etc/os-release", "NAME=test"));
        var layer2 = LayerTar(("app/.env", "X=1\nTOKEN=" + T + "\n"));
        var path = Path.Combine(_dir, "image.tar");
        WriteDockerSave(path, [layer1, layer2], ConfigJson(), "cloudid/test:1");
        var items = new SecretScanner(new SecretScanOptions()).ScanPath(path);
        var findings = items.Select(i => i.Finding).OfType<SecretFinding>().ToList();
        Assert.Equal(2, findings.Count);
        var layerId = "sha256:" + Convert.ToHexString(SHA256.HashData(layer2)).ToLowerInvariant()[..12];
        var inLayer = findings.Single(f => f.ContentKind == "Text");
        Assert.Equal($"{path}!cloudid/test:1!{layerId}!app/.env", inLayer.Location);
        Assert.Equal(2, inLayer.Line);
        var inEnv = findings.Single(f => f.ContentKind == "ImageConfig");
        Assert.Equal($"{path}!cloudid/test:1!config!config.Env[1]", inEnv.Location);
    }

    [Fact]
    public void Oci_layout_is_scanned_through_index_manifest_and_gzipped_layers()
    {
        var blobs = Directory.CreateDirectory(Path.Combine(_dir, "oci", "blobs", "sha256")).FullName;
        string Blob(byte[] data)
        {
            var hex = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
            File.WriteAllBytes(Path.Combine(blobs, hex), data);
            return "sha256:" + hex;
        }
        var layer = Blob(Gzip(LayerTar(("root/.git-credentials", "https://user:" + T + "@github.com\n"))));
        var config = Blob(Encoding.UTF8.GetBytes(ConfigJson().Replace(EnvToken, "none")));
        var manifest = Blob(Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{config}}}"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{layer}}}"}]}"""));
        var root = Path.Combine(_dir, "oci");
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(root, "index.json"), $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifest}}}","annotations":{"org.opencontainers.image.ref.name":"app:2"}}]}""");
        var items = new SecretScanner(new SecretScanOptions()).ScanPath(root);
        var f = Assert.Single(items.Select(i => i.Finding).OfType<SecretFinding>(), x => x.PatternId == "github-token");
        Assert.Equal($"{root}!app:2!sha256:{layer[7..19]}!root/.git-credentials", f.Location);
    }

    [CorpusFact]
    public void Real_docker_save_and_oci_fixtures_scan_without_errors()
    {
        var images = Path.Combine(CorpusPaths.Secrets!, "container-images");
        var scanner = new SecretScanner(new SecretScanOptions());
        var alpine = scanner.ScanPath(Path.Combine(images, "alpine-310.docker-save.tar.gz"));
        Assert.DoesNotContain(alpine, i => i.Notice?.Kind == ScanNoticeKind.ReadError);
        var oci = scanner.ScanPath(Path.Combine(images, "test.oci"));
        Assert.DoesNotContain(oci, i => i.Notice?.Kind is ScanNoticeKind.ReadError or ScanNoticeKind.Skipped);
    }
}
