using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Engine.Tests.Secrets;

public sealed class ScannerEdgeCaseTests : IDisposable
{
    internal const string T = "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";
    private readonly string _dir = Directory.CreateTempSubdirectory("cloudid-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static List<SecretFinding> Findings(IEnumerable<ScanItem> items) => items.Select(i => i.Finding).OfType<SecretFinding>().ToList();
    private static List<ScanNotice> Notices(IEnumerable<ScanItem> items) => items.Select(i => i.Notice).OfType<ScanNotice>().ToList();
    private string Write(string name, byte[] bytes) { var p = Path.Combine(_dir, name); File.WriteAllBytes(p, bytes); return p; }

    [Fact]
    public void BR37_only_key_id_prefixes_with_the_base32_alphabet_are_access_keys()
    {
        var text = """
            role_id   = "AROAQWERTYUIOPASDFGHJ"
            user_id   = "AIDAQWERTYUIOPASDFGHJ"
            doc_key   = "AKIAIOSFODNN7EXAMPLE"
            fixture   = "AKIA1234567890189999"
            odd       = "AKIVABCDEFGHIJKLMNOP"
            temp_key  = "ASIAQWERTYUIOPASDFGH"
            long_key  = "AKIAQWERTYUIOPASDFGH"
            """;
        var items = new SecretScanner(new SecretScanOptions()).ScanText(text, "br37");
        var findings = Findings(items);
        Assert.Equal(2, findings.Count);
        Assert.Equal([6, 7], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal("aws-access-key-id", f.PatternId));
        var suppressed = Assert.Single(Notices(items), n => n.Kind == ScanNoticeKind.Suppressed);
        Assert.Contains("documented example", suppressed.Reason);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", suppressed.ToString());
    }

    [Theory]
    [InlineData("G1 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", true)]
    [InlineData("G2 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", true)]
    [InlineData("G3 ghp_TestOnlyFakeTokenBody0000000012BNSZ7", false)]
    [InlineData("G4 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", true)]
    public void BR39_github_checksum_is_checked_with_padding(string line, bool reported)
    {
        var findings = Findings(new SecretScanner(new SecretScanOptions()).ScanText(line, "br39"));
        Assert.Equal(reported, findings.Any(f => f.PatternId == "github-token"));
    }

    [Fact]
    public void BR39_checksum_arithmetic_matches_the_published_shape()
    {
        Assert.Equal("2BNSZ6", GitHubTokenChecksum.Checksum("TestOnlyFakeTokenBody000000001"));
        Assert.Equal("08J8H1", GitHubTokenChecksum.Checksum("TestOnlyFakeTokenBody000000004"));
        Assert.True(GitHubTokenChecksum.IsValid("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"));
    }

    [Theory]
    [InlineData("f1 utf16le bom", true, false)]
    [InlineData("f2 utf16le no bom", false, false)]
    [InlineData("f2b utf16be bom", true, true)]
    public void BR40_utf16_files_give_one_finding_on_line_1(string name, bool bom, bool bigEndian)
    {
        var enc = new UnicodeEncoding(bigEndian, bom);
        var bytes = enc.GetPreamble().Concat(enc.GetBytes("token=" + T)).ToArray();
        var items = new SecretScanner(new SecretScanOptions()).ScanPath(Write(name.Replace(' ', '_') + ".txt", bytes));
        var f = Assert.Single(Findings(items));
        Assert.Equal("github-token", f.PatternId);
        Assert.Equal(1, f.Line);
        Assert.Equal(7, f.Column);
        Assert.Equal("Utf16", f.ContentKind);
        Assert.Equal((bom ? 2 : 0) + 12, f.ByteOffset);
    }

    [Fact]
    public void BR40_url_with_password_gives_exactly_one_finding()
    {
        var items = new SecretScanner(new SecretScanOptions()).ScanPath(Write("f3.txt", "http://admin:admin@127.0.0.1"u8.ToArray()));
        var f = Assert.Single(Findings(items));
        Assert.Equal("url-embedded-password", f.PatternId);
        Assert.Equal(1, f.Line);
        Assert.Equal(14, f.Column);
    }

    [Fact]
    public void BR40_zip_without_zip_extension_is_recognised_by_magic_bytes()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, true))
        using (var w = new StreamWriter(zip.CreateEntry("inner/secret.txt").Open())) w.Write("token=" + T);
        var path = Write("bundle.other", ms.ToArray());
        var f = Assert.Single(Findings(new SecretScanner(new SecretScanOptions()).ScanPath(path)));
        Assert.Equal(path + "!inner/secret.txt", f.Location);
        Assert.Equal("inner/secret.txt", f.EntryPath);
    }

    internal static byte[] Zip(string name, byte[] content)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, true))
        using (var s = zip.CreateEntry(name).Open()) s.Write(content);
        return ms.ToArray();
    }

    [Fact]
    public void BR40_nested_zip_is_scanned_to_the_depth_limit_and_the_limit_is_reported()
    {
        // nest.zip: level1.zip holds level2.zip holds level3.zip holds deep.txt; each level also has a secret file.
        var l3 = Zip("deep.txt", Encoding.UTF8.GetBytes("token=" + T));
        var l2 = Zip("level3.zip", l3);
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, true))
        {
            using (var s = zip.CreateEntry("level2.zip").Open()) s.Write(l2);
            using (var w = new StreamWriter(zip.CreateEntry("top.txt").Open())) w.Write("token=" + T);
        }
        var path = Write("nest.zip", ms.ToArray());
        var items = new SecretScanner(new SecretScanOptions { MaxArchiveDepth = 2 }).ScanPath(path);
        var f = Assert.Single(Findings(items));
        Assert.Equal(path + "!top.txt", f.Location);
        var limit = Assert.Single(Notices(items), n => n.Kind == ScanNoticeKind.DepthLimitReached);
        Assert.Equal(path + "!level2.zip!level3.zip", limit.Location);
        Assert.Contains("max archive depth reached", limit.Reason);
        // With a higher limit the deepest secret is found too.
        var deeper = Findings(new SecretScanner(new SecretScanOptions { MaxArchiveDepth = 3 }).ScanPath(path));
        Assert.Contains(deeper, x => x.Location == path + "!level2.zip!level3.zip!deep.txt");
    }

    [Theory]
    [InlineData(1048570)]
    [InlineData(1048576 - 40)]
    [InlineData(1048576)]
    [InlineData(1048576 + 16384 - 20)]
    public void BR40_secret_across_a_read_boundary_is_found_exactly_once(int offset)
    {
        var bytes = new byte[3 * 1024 * 1024];
        var filler = "log line with nothing secret in it, just words and 12345\n"u8;
        for (var i = 0; i < bytes.Length; i++) bytes[i] = filler[i % filler.Length];
        bytes[offset - 1] = (byte)' ';
        Encoding.ASCII.GetBytes(T).CopyTo(bytes, offset);
        bytes[offset + T.Length] = (byte)' ';
        var items = new SecretScanner(new SecretScanOptions()).ScanPath(Write("big.log", bytes));
        var f = Assert.Single(Findings(items));
        Assert.Equal(offset, f.ByteOffset);
        var expectedLine = 1 + bytes.AsSpan(0, offset).Count((byte)'\n');
        Assert.Equal(expectedLine, f.Line);
    }

    [Fact]
    public void BR40_secret_in_a_binary_is_found_as_a_printable_run_with_its_byte_offset()
    {
        var bytes = new byte[20000];
        new Random(7).NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] is >= 0x20 and < 0x7F) bytes[i] = 0; // no accidental runs
        "\u007fELF"u8.CopyTo(bytes);
        Encoding.ASCII.GetBytes(T).CopyTo(bytes, 12345);
        var f = Assert.Single(Findings(new SecretScanner(new SecretScanOptions()).ScanPath(Write("app.bin", bytes))));
        Assert.Equal("Binary", f.ContentKind);
        Assert.Equal(12345, f.ByteOffset);
        Assert.Equal(0, f.Line);
    }

    [Fact]
    public void Oversized_files_and_unsupported_archives_are_reported_as_skipped_with_the_reason()
    {
        var big = Write("big.txt", Encoding.ASCII.GetBytes(new string('a', 5000)));
        var skipped = Assert.Single(Notices(new SecretScanner(new SecretScanOptions { MaxFileSize = 1000 }).ScanPath(big)));
        Assert.Equal(ScanNoticeKind.Skipped, skipped.Kind);
        Assert.Contains("over the limit", skipped.Reason);
        var sevenZip = Write("x.bin", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4, 1, 2, 3]);
        var n = Assert.Single(Notices(new SecretScanner(new SecretScanOptions()).ScanPath(sevenZip)));
        Assert.Equal(ScanNoticeKind.Skipped, n.Kind);
        Assert.Contains("7z", n.Reason);
    }

    [Fact]
    public void Tar_gz_entries_are_scanned_with_entry_locations()
    {
        var tarBytes = new MemoryStream();
        using (var tw = new TarWriter(tarBytes, TarEntryFormat.Pax, true))
        {
            var e = new PaxTarEntry(TarEntryType.RegularFile, "app/config.env") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("A=1\nGITHUB_TOKEN=" + T + "\n")) };
            tw.WriteEntry(e);
        }
        var gz = new MemoryStream();
        using (var g = new GZipStream(gz, CompressionLevel.Fastest, true)) g.Write(tarBytes.ToArray());
        var path = Write("bundle.tgz", gz.ToArray());
        var f = Assert.Single(Findings(new SecretScanner(new SecretScanOptions()).ScanPath(path)));
        Assert.Equal(path + "!app/config.env", f.Location);
        Assert.Equal(2, f.Line);
    }

    [Fact]
    public void Inline_allow_comment_and_baseline_suppress_findings()
    {
        var scanner = new SecretScanner(new SecretScanOptions());
        var text = "a = \"" + T + "\" # cloudid:allow\nb = \"ghs_CloudIdFakeTokenForTests0000012kSXSd\"";
        var items = scanner.ScanText(text, "in");
        var f = Assert.Single(Findings(items));
        Assert.Equal(2, f.Line);
        Assert.Contains(Notices(items), n => n.Reason.Contains("inline allow comment"));
        var baseline = new SecretScanner(new SecretScanOptions { Baseline = new HashSet<string> { f.Fingerprint } });
        Assert.Empty(Findings(baseline.ScanText(text, "in")));
    }

    [Fact]
    public void Fingerprint_is_stable_across_line_moves_and_secrets_never_appear_in_public_members()
    {
        var scanner = new SecretScanner(new SecretScanOptions());
        var a = Assert.Single(Findings(scanner.ScanText("x=" + T, "a")));
        var b = Assert.Single(Findings(scanner.ScanText("\n\n\n  y: " + T, "b")));
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal("ghp_****************Z6", a.Masked);
        foreach (var prop in typeof(SecretFinding).GetProperties())
            Assert.DoesNotContain(T, prop.GetValue(a)?.ToString() ?? "");
        Assert.DoesNotContain(T, a.ToString());
    }

    [Fact]
    public void Aws_key_id_and_secret_key_in_one_file_are_paired()
    {
        var text = "[default]\naws_access_key_id = AKIAS5EOQM3HOJRJEDKT\naws_secret_access_key = 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\n";
        var findings = Findings(new SecretScanner(new SecretScanOptions()).ScanText(text, "credentials"));
        Assert.Equal(2, findings.Count);
        var id = findings.Single(f => f.PatternId == "aws-access-key-id");
        var key = findings.Single(f => f.PatternId == "aws-secret-access-key");
        Assert.Equal(key.Fingerprint, id.PairedWith);
        Assert.Equal(id.Fingerprint, key.PairedWith);
    }

    [Fact]
    public void Excluded_entry_paths_are_not_scanned()
    {
        var path = Write("x.zip", Zip("vendor/lib/secret.txt", Encoding.UTF8.GetBytes("token=" + T)));
        Assert.Empty(Findings(new SecretScanner(new SecretScanOptions { ExcludeEntries = ["vendor/**"] }).ScanPath(path)));
        Assert.Single(Findings(new SecretScanner(new SecretScanOptions()).ScanPath(path)));
    }

    [Fact]
    public void Keyword_windows_find_every_secret_on_a_long_minified_line()
    {
        var filler = new string('x', 5000);
        var line = $"a={filler};api_key=\"06Dwt0Y3oobQmzvr3e9XrwPGzR1Iv8bh\";b={filler};c={filler};client_secret=\"f32cf21449273d7cee9d9136682575250def9179\";{filler}";
        var findings = Findings(new SecretScanner(new SecretScanOptions()).ScanText(line, "min.js"));
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("generic-secret-assignment", f.PatternId));
        Assert.Equal(line.IndexOf("06Dw", StringComparison.Ordinal) + 1, findings[0].Column);
    }
}
