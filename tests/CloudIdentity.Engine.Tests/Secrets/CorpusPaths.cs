namespace CloudIdentity.Engine.Tests.Secrets;

/// <summary>The shared corpus, read from ../shared beside the repository root (never copied into the repo).</summary>
internal static class CorpusPaths
{
    public const string MissingMessage = "../shared/corpus is not present beside the repository: corpus tests skipped.";

    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Module.sln"))) continue;
            var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
            return Directory.Exists(corpus) ? corpus : null;
        }
        return null;
    });

    public static string? Corpus => Root.Value;
    public static string? Secrets => Corpus is null ? null : Path.Combine(Corpus, "secrets");
    public static string? CredReport => Corpus is null ? null : Path.Combine(Corpus, "credreport");
}

/// <summary>A fact that is skipped (with a clear message) when the shared corpus is absent.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute() { if (CorpusPaths.Corpus is null) Skip = CorpusPaths.MissingMessage; }
}
