using System.Text.Json;
using CloudIdentity.Engine.Detection.Correlation;
using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Engine.Detection;

/// <summary>A Sigma rule, loaded and compiled once; <see cref="Matches"/> tests one record.</summary>
public sealed class DetectionRule
{
    internal DetectionRule(Condition condition) => Condition = condition;

    internal Condition Condition { get; }

    public string Id { get; init; } = "";
    /// <summary>The rule's <c>name</c>: how correlation rules refer to it (optional).</summary>
    public string? Name { get; init; }
    /// <summary>Detection (one event) or Correlation (several events over time).</summary>
    public RuleKind Kind => Correlation is null ? RuleKind.Detection : RuleKind.Correlation;
    /// <summary>For a correlation rule: its type, referenced rules, group-by, timespan and condition.</summary>
    public CorrelationSpec? Correlation { get; init; }
    /// <summary>CloudIdentity extension for temporal_ordered (<c>x-new-value</c>): the last event's value of this field must be new in the chain.</summary>
    public string? NewValueField { get; init; }
    /// <summary>Placeholders (<c>%name%</c>) that had no value and were compiled as <c>*</c>.</summary>
    public IReadOnlyList<string> UnresolvedPlaceholders { get; init; } = [];
    /// <summary>The event fields the detection tests.</summary>
    public IReadOnlyList<string> DetectionFields { get; init; } = [];
    /// <summary>Top-level keys the Sigma rule schema does not define (reported by Test-CloudIdDetectionRule).</summary>
    public IReadOnlyList<string> UnknownTopLevelKeys { get; init; } = [];
    /// <summary>The rule file: a path, or <c>BuiltIn/&lt;folder&gt;/&lt;file&gt;</c> for the built-in pack.</summary>
    public string File { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string? Status { get; init; }
    public Severity Level { get; init; } = Severity.Medium;
    public string? Author { get; init; }
    public string? Date { get; init; }
    public string? Modified { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>MITRE ATT&amp;CK technique ids from the tags, e.g. T1098.001.</summary>
    public IReadOnlyList<string> Techniques { get; init; } = [];
    /// <summary>MITRE ATT&amp;CK tactics from the tags, e.g. persistence.</summary>
    public IReadOnlyList<string> Tactics { get; init; } = [];
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<string> FalsePositives { get; init; } = [];
    public IReadOnlyList<string> Fields { get; init; } = [];
    public LogSourceSpec LogSource { get; init; } = new(null, null, null);
    /// <summary>"BuiltIn" or the path of the rule file.</summary>
    public string Origin { get; init; } = "";
    public bool IsBuiltIn { get; init; }
    /// <summary>Sample events carried by the rule file with their expected verdicts.</summary>
    public IReadOnlyList<RuleTest> Tests { get; init; } = [];

    /// <summary>True when this single-event rule matches the record (always false for a correlation rule).</summary>
    public bool Matches(JsonElement record) => Condition.Evaluate(record);

    public override string ToString() => $"{Id} {Title}";
}

/// <summary>A rule's logsource: which events it applies to.</summary>
public sealed record LogSourceSpec(string? Product, string? Service, string? Category)
{
    /// <summary>True when an event from <paramref name="logSource"/> (<c>product/service</c>) is in scope.</summary>
    public bool Covers(string logSource)
    {
        var slash = logSource.IndexOf('/');
        var product = slash < 0 ? logSource : logSource[..slash];
        var service = slash < 0 ? null : logSource[(slash + 1)..];
        if (Product is null && Service is null && Category is null) return true;
        if (Product is not null && !string.Equals(Product, product, StringComparison.OrdinalIgnoreCase)) return false;
        if (Service is not null && !string.Equals(Service, service, StringComparison.OrdinalIgnoreCase)) return false;
        // A category-only rule (process_creation, ...) is about endpoint telemetry, not cloud logs.
        return Product is not null || Service is not null;
    }

    public override string ToString() => string.Join("/", new[] { Product, Service, Category }.Where(s => s is not null));
}

/// <summary>Single-event rule or correlation rule.</summary>
public enum RuleKind
{
    Detection,
    Correlation,
}

/// <summary>
/// A sample in a rule file: one <see cref="Event"/> that the rule must match or not (<c>match: true|false</c>), or a
/// sequence of <see cref="Events"/> that must give exactly <see cref="ExpectFindings"/> findings (<c>expect: N</c>).
/// </summary>
public sealed record RuleTest(string Name, bool ExpectMatch, JsonElement Event)
{
    /// <summary>The event sequence of a sequence sample (empty for a single-event sample).</summary>
    public IReadOnlyList<JsonElement> Events { get; init; } = [];
    /// <summary>The number of findings a sequence sample must give (null for a single-event sample).</summary>
    public int? ExpectFindings { get; init; }
    public bool IsSequence => ExpectFindings is not null;
}
