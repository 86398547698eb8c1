namespace CloudIdentity.Engine.Detection;

/// <summary>Why a rule (or one document of a rule file) could not be loaded.</summary>
public sealed record RuleLoadProblem(string Origin, string? RuleId, string? Title, string Message, string? Feature)
{
    public override string ToString() =>
        $"{Origin}{(Title is not null ? $" ({Title})" : "")}: {Message}";
}
