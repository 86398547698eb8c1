using System.Text;
using System.Text.Json;
using CloudIdentity.Engine.Secrets;
using Xunit.Abstractions;

namespace CloudIdentity.Engine.Tests.Secrets;

/// <summary>
/// Recall and precision against the expected findings shipped with the corpus fixtures, per fixture set. A finding
/// counts as a true positive when an expected finding exists at the same location and line. The figures are written
/// to out/TestResults/secrets-accuracy.md; the test asserts floors so regressions fail.
/// </summary>
public sealed class CorpusAccuracyTests(ITestOutputHelper output)
{
    internal sealed record Expected(string Location, int Line, params string[] Sha1);

    internal sealed record Set(string Name, string Source, List<string> Inputs, List<Expected> Expected,
        IReadOnlyList<SecretPattern>? ExtraPatterns = null);

    internal sealed record Score(string Name, int Expected, int Reported, int TruePositives, string Source,
        List<string> Missed, List<string> Extra)
    {
        public int RecalledCount { get; init; }
        public double Recall => Expected == 0 ? 1 : (double)RecalledCount / Expected;
        public double Precision => Reported == 0 ? 1 : (double)TruePositives / Reported;
    }

    private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    internal static List<Set> Sets(string secrets)
    {
        var sets = new List<Set>();

        // detect-secrets: baseline.file lists file, line and type of every expected secret.
        var ds = Path.Combine(secrets, "detect-secrets");
        var dsExpected = new List<Expected>();
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ds, "baseline.file"))))
            foreach (var file in doc.RootElement.GetProperty("results").EnumerateObject())
                foreach (var r in file.Value.EnumerateArray())
                {
                    var e = new Expected("detect-secrets/" + file.Name, r.GetProperty("line_number").GetInt32(), r.GetProperty("hashed_secret").GetString()!);
                    var same = dsExpected.FindIndex(x => x.Location == e.Location && x.Line == e.Line);
                    if (same < 0) dsExpected.Add(e);
                    else dsExpected[same] = dsExpected[same] with { Sha1 = [.. dsExpected[same].Sha1, .. e.Sha1] };
                }
        sets.Add(new Set("detect-secrets", "shipped: baseline.file (29 results on 23 lines; matched by line or by its SHA-1 of the secret, as its line numbers are stale)",
            Directory.EnumerateFiles(ds, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "baseline.file").ToList(), dsExpected));

        // trivy: integration golden file for the deploy.sh repository, scanned with that repository's trivy-secret.yaml rule.
        var tv = Path.Combine(secrets, "trivy");
        var tvExpected = new List<Expected>();
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(tv, "integration__testdata__secrets.json.golden"))))
            foreach (var result in doc.RootElement.GetProperty("Results").EnumerateArray())
                foreach (var s in result.GetProperty("Secrets").EnumerateArray())
                    tvExpected.Add(new("trivy/integration__testdata__fixtures__repo__secrets__" + result.GetProperty("Target").GetString(), s.GetProperty("StartLine").GetInt32()));
        var custom = PatternCatalog.Parse("""
            - id: mysecret
              title: My Secret (from the fixture repository's trivy-secret.yaml)
              severity: High
              regex: mysecret
              examples: { positive: [mysecret], negative: [other] }
            """, "trivy-secret.yaml");
        sets.Add(new Set("trivy", "shipped: integration/testdata/secrets.json.golden (+ the repository's custom rule)",
            [Path.Combine(tv, "integration__testdata__fixtures__repo__secrets__deploy.sh")], tvExpected, custom));

        // gitleaks: .gitleaksignore names the known finding api.go:aws-access-key:20; main.go carries the same line.
        // The archives hold the same four files (7z/xz/zst are reported as skipped, unsupported).
        var gl = Path.Combine(secrets, "gitleaks");
        var glInputs = Directory.EnumerateFiles(Path.Combine(gl, "repos"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(gl, "archives"), "*", SearchOption.AllDirectories)).ToList();
        // Labelled here: DB_PASSWORD=8ae31cacf141669ddfb5da in .env.prod line 4 is a real-looking database password.
        var glExpected = new List<Expected>();
        foreach (var prefix in new[] { "gitleaks/repos/nogit/", "gitleaks/archives/files/", "gitleaks/archives/files.zip!files/", "gitleaks/archives/files.tar!files/" })
        {
            glExpected.Add(new(prefix + "api.go", 20));
            glExpected.Add(new(prefix + "main.go", 20));
            glExpected.Add(new(prefix + ".env.prod", 4));
        }
        glExpected.Add(new("gitleaks/archives/files/main.go.gz", 20));
        sets.Add(new Set("gitleaks", "shipped: repos/nogit/.gitleaksignore (api.go:aws-access-key:20); labelled here: the copy in main.go, DB_PASSWORD in .env.prod, and the same files inside the zip/tar/gz archives",
            glInputs, glExpected));

        // trufflehog: secrets.txt is the engine test input whose test expects the AWS key pair on lines 1-2.
        var th = Path.Combine(secrets, "trufflehog");
        sets.Add(new Set("trufflehog", "labelled here from trufflehog's engine tests: AWS key id + secret in secrets.txt lines 1-2, sentry tokens lines 3-6, Postman key in verificationoverlap_secrets.txt line 2",
            Directory.EnumerateFiles(th).ToList(),
            [new("trufflehog/secrets.txt", 1), new("trufflehog/secrets.txt", 2), new("trufflehog/secrets.txt", 3), new("trufflehog/secrets.txt", 4),
             new("trufflehog/secrets.txt", 5), new("trufflehog/secrets.txt", 6), new("trufflehog/verificationoverlap_secrets.txt", 2)]));
        return sets;
    }

    internal static Score Measure(Set set, string secretsRoot)
    {
        var catalog = set.ExtraPatterns is null ? PatternCatalog.BuiltIn : PatternCatalog.BuiltIn.With(set.ExtraPatterns);
        var scanner = new SecretScanner(new SecretScanOptions { Catalog = catalog });
        var reported = new List<Expected>();
        foreach (var input in set.Inputs)
            foreach (var f in scanner.ScanPath(input).Select(i => i.Finding).OfType<SecretFinding>())
            {
                var rel = Rel(secretsRoot, f.Path) + (f.EntryPath.Length > 0 ? "!" + f.EntryPath : "");
                var sha1 = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(f.Secret))).ToLowerInvariant();
                // One reported item per location and line (several patterns on one line count once).
                if (!reported.Any(r => r.Location == rel && r.Line == f.Line)) reported.Add(new(rel, f.Line, sha1));
            }
        static bool Same(Expected e, Expected r) => e.Location == r.Location && (e.Line == r.Line || e.Sha1.Intersect(r.Sha1).Any());
        var tp = reported.Count(r => set.Expected.Any(e => Same(e, r)));
        var recalled = set.Expected.Count(e => reported.Any(r => Same(e, r)));
        return new Score(set.Name, set.Expected.Count, reported.Count, tp, set.Source,
            set.Expected.Where(e => !reported.Any(r => Same(e, r))).Select(e => $"{e.Location}:{e.Line}").Order().ToList(),
            reported.Where(r => !set.Expected.Any(e => Same(e, r))).Select(e => $"{e.Location}:{e.Line}").Order().ToList())
        { RecalledCount = recalled };
    }

    [CorpusFact]
    public void Recall_and_precision_per_fixture_set_stay_above_their_floors()
    {
        var secrets = CorpusPaths.Secrets!;
        var scores = Sets(secrets).Select(s => Measure(s, secrets)).ToList();
        var md = new StringBuilder("| fixture set | expected | found of expected | reported | reported that were expected | recall | precision | expected findings from |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var s in scores)
        {
            md.Append($"| {s.Name} | {s.Expected} | {s.RecalledCount} | {s.Reported} | {s.TruePositives} | {s.Recall:P0} | {s.Precision:P0} | {s.Source} |\n");
            output.WriteLine($"{s.Name}: recall {s.Recall:P1} precision {s.Precision:P1}; missed: {string.Join(", ", s.Missed)}; extra: {string.Join(", ", s.Extra)}");
        }
        output.WriteLine(md.ToString());
        TryWriteReport(md.ToString(), scores);
        var floors = new Dictionary<string, (double Recall, double Precision)>
        {
            ["detect-secrets"] = (0.35, 0.80),
            ["trivy"] = (0.50, 0.50),
            ["gitleaks"] = (1.0, 0.80),
            ["trufflehog"] = (1.0, 0.80),
        };
        foreach (var s in scores)
        {
            Assert.True(s.Recall >= floors[s.Name].Recall, $"{s.Name}: recall {s.Recall:P1} below floor {floors[s.Name].Recall:P0}; missed {string.Join(", ", s.Missed)}");
            Assert.True(s.Precision >= floors[s.Name].Precision, $"{s.Name}: precision {s.Precision:P1} below floor {floors[s.Name].Precision:P0}; extra {string.Join(", ", s.Extra)}");
        }
    }

    private static void TryWriteReport(string markdown, List<Score> scores)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Module.sln"))) continue;
            var target = Path.Combine(dir.FullName, "out", "TestResults");
            Directory.CreateDirectory(target);
            var detail = string.Join("\n", scores.Select(s => $"\n### {s.Name}\nmissed: {string.Join(", ", s.Missed)}\n\nextra: {string.Join(", ", s.Extra)}"));
            File.WriteAllText(Path.Combine(target, "secrets-accuracy.md"), markdown + detail + "\n");
            return;
        }
    }
}
