namespace CloudIdentity.Engine.Detection.Correlation;

/// <summary>
/// Resolves the rules a correlation refers to, by <c>id</c> or <c>name</c>, among the rules loaded with it and those
/// loaded alongside. A correlation with a reference that does not resolve, or that refers to itself through a chain,
/// is reported as a problem and dropped.
/// </summary>
internal static class CorrelationLinker
{
    public static (IReadOnlyList<DetectionRule> Rules, IReadOnlyList<RuleLoadProblem> Problems) Link(
        IReadOnlyList<DetectionRule> rules, IEnumerable<DetectionRule> alongside)
    {
        var problems = new List<RuleLoadProblem>();
        if (rules.All(r => r.Correlation is null)) return (rules, problems);
        var byKey = new Dictionary<string, DetectionRule>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in alongside.Concat(rules))
        {
            if (r.Id.Length > 0) byKey[r.Id] = r;
            if (r.Name is { Length: > 0 } n) byKey[n] = r;
        }
        var dropped = new HashSet<DetectionRule>(ReferenceEqualityComparer.Instance);
        foreach (var rule in rules.Where(r => r.Correlation is not null))
        {
            var spec = rule.Correlation!;
            var missing = spec.Rules.Where(k => !byKey.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                problems.Add(new RuleLoadProblem(rule.File, rule.Id, rule.Title,
                    $"The correlation refers to rule(s) that are not loaded: {string.Join(", ", missing)} (load them from the same file or folder).", "correlation rules"));
                dropped.Add(rule);
                continue;
            }
            spec.Referenced = spec.Rules.Select(k => byKey[k]).ToArray();
        }
        // Chains must end in detection rules: no cycles.
        foreach (var rule in rules.Where(r => r.Correlation is not null && !dropped.Contains(r)))
        {
            if (Reaches(rule, rule, [], dropped))
            {
                problems.Add(new RuleLoadProblem(rule.File, rule.Id, rule.Title, "The correlation refers to itself through a chain of correlations.", "correlation rules"));
                dropped.Add(rule);
            }
        }
        return (rules.Where(r => !dropped.Contains(r)).ToArray(), problems);
    }

    private static bool Reaches(DetectionRule from, DetectionRule target, HashSet<DetectionRule> seen, HashSet<DetectionRule> dropped)
    {
        foreach (var r in from.Correlation?.Referenced ?? [])
        {
            if (ReferenceEquals(r, target)) return true;
            if (dropped.Contains(r)) return true; // refers to a broken correlation: also broken
            if (r.Correlation is not null && seen.Add(r) && Reaches(r, target, seen, dropped)) return true;
        }
        return false;
    }
}
