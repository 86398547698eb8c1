namespace CloudIdentity.Engine.Detection.Testing;

/// <summary>Overall verdict of validating one rule and running its samples.</summary>
public enum RuleTestStatus
{
    /// <summary>The rule loads, has no errors, and every sample gives its expected verdict.</summary>
    Passed,
    /// <summary>The rule loads but at least one sample fails.</summary>
    Failed,
    /// <summary>The rule does not load or compile (see Problems).</summary>
    Invalid,
}

public enum RuleProblemSeverity
{
    Warning,
    Error,
}

/// <summary>One problem found while validating a rule.</summary>
public sealed record RuleProblem(RuleProblemSeverity Severity, string Message, string? Feature)
{
    public override string ToString() => $"{Severity}: {Message}";
}

/// <summary>The outcome of one sample (<c>tests:</c> entry) of a rule.</summary>
public sealed record RuleSampleResult(string Name, bool Passed, string Expected, string Actual)
{
    public override string ToString() => $"{(Passed ? "passed" : "FAILED")}: {Name} (expected {Expected}, got {Actual})";
}

/// <summary>The result of Test-CloudIdDetectionRule for one rule (or for one rule document that did not load).</summary>
public sealed class RuleTestResult
{
    public string? RuleId { get; init; }
    public string? Title { get; init; }
    /// <summary>The rule file (a path, or BuiltIn/... for the built-in pack).</summary>
    public string File { get; init; } = "";
    public RuleKind? Kind { get; init; }
    public string? LogSource { get; init; }
    public RuleTestStatus Status { get; init; }
    public IReadOnlyList<RuleProblem> Problems { get; init; } = [];
    public IReadOnlyList<RuleSampleResult> Samples { get; init; } = [];
    public int SamplesPassed => Samples.Count(s => s.Passed);
    public int SamplesFailed => Samples.Count(s => !s.Passed);
    public IReadOnlyList<string> PassedSamples => Samples.Where(s => s.Passed).Select(s => s.Name).ToArray();
    public IReadOnlyList<string> FailedSamples => Samples.Where(s => !s.Passed).Select(s => s.Name).ToArray();
    /// <summary>The rule, when it loaded.</summary>
    public DetectionRule? Rule { get; init; }

    public override string ToString() => $"{Status} {RuleId} {Title} ({SamplesPassed} passed, {SamplesFailed} failed, {Problems.Count} problem(s))";
}
