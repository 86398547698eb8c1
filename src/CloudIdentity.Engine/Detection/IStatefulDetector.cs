using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Detection;

/// <summary>
/// A detector that keeps state across events (a correlation rule). The engine calls <see cref="Observe"/> once per
/// event, in stream order, with the single-event rules that event matched, and <see cref="Flush"/> once at the end
/// of the stream. Implementations must keep bounded state: expire what can no longer contribute to a finding.
/// </summary>
public interface IStatefulDetector
{
    /// <summary>The rule this detector reports findings for.</summary>
    DetectionRule Rule { get; }

    /// <summary>Feeds one event and the rules it matched; findings that complete now are added to <paramref name="output"/>.</summary>
    void Observe(CloudIdEvent e, IReadOnlyList<DetectionRule> matched, ICollection<Finding> output);

    /// <summary>End of stream: decides windows still open (e.g. <c>lt</c> conditions) and clears all state.</summary>
    void Flush(ICollection<Finding> output);

    /// <summary>How many groups currently hold state (for tests and diagnostics).</summary>
    int ActiveGroups { get; }
}
