using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Secrets;

/// <summary>One credential type from the catalog, compiled. Built from <see cref="PatternDefinition"/>.</summary>
public sealed class SecretPattern
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public SecretSeverity Severity { get; init; }
    /// <summary>Where the definition came from: "built-in" or a file path.</summary>
    public required string Source { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    internal IReadOnlyList<string> LowerKeywords => _lower ??= Keywords.Select(k => k.ToLowerInvariant()).ToList();
    private IReadOnlyList<string>? _lower;
    /// <summary>Keywords are compared case-sensitively (the regex says so itself).</summary>
    public bool CaseSensitive { get; init; }
    /// <summary>The regex spans lines: it runs on whole buffers, not on the lines around keywords.</summary>
    public bool Multiline { get; init; }
    internal Regex Regex { get; init; } = null!;
    internal IReadOnlyList<Regex> Allow { get; init; } = [];
    public double MinEntropy { get; init; }
    public bool RequireMixed { get; init; }
    public bool Generic { get; init; }
    public string? Validator { get; init; }
    public string? Verifier { get; init; }
    public string? Requires { get; init; }
    public int WithinLines { get; init; }
    public int Priority { get; init; } = 100;
    public IReadOnlyList<string> PositiveExamples { get; init; } = [];
    public IReadOnlyList<string> NegativeExamples { get; init; } = [];
    public string RegexText => Regex.ToString();

    public override string ToString() => Id;
}

/// <summary>The YAML shape of a pattern entry (camelCase keys).</summary>
public sealed class PatternDefinition
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Severity { get; set; }
    public List<string>? Keywords { get; set; }
    public string? Regex { get; set; }
    public bool CaseSensitive { get; set; }
    public bool Multiline { get; set; }
    public List<string>? Allow { get; set; }
    public double MinEntropy { get; set; }
    public bool RequireMixed { get; set; }
    public bool Generic { get; set; }
    public string? Validator { get; set; }
    public string? Verifier { get; set; }
    public string? Requires { get; set; }
    public int WithinLines { get; set; }
    public int? Priority { get; set; }
    public PatternExamples? Examples { get; set; }
}

public sealed class PatternExamples
{
    public List<string>? Positive { get; set; }
    public List<string>? Negative { get; set; }
}
