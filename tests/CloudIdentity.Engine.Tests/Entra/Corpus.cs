namespace CloudIdentity.Engine.Tests.Entra;

/// <summary>The shared real-world corpus at <c>../shared/corpus</c> beside the repository, when it is there.</summary>
internal static class Corpus
{
    public static readonly string? Root = Find();

    public static string Path(string relative) => System.IO.Path.Combine(Root ?? throw new InvalidOperationException("No corpus."), relative);

    public const string MissingMessage = "The shared corpus (../shared/corpus beside the repository) is not present.";

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Module.sln")))
            {
                var corpus = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "corpus"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }
        return null;
    }
}

/// <summary>A fact that is skipped, with a clear message, when the shared corpus is absent.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute() { if (Corpus.Root is null) Skip = Corpus.MissingMessage; }
}

/// <summary>A theory that is skipped, with a clear message, when the shared corpus is absent.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute() { if (Corpus.Root is null) Skip = Corpus.MissingMessage; }
}
