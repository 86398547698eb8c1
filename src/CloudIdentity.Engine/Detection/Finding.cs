using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Detection;

/// <summary>A detection: which rule fired, on which event, with the context an analyst triages by.</summary>
public sealed class Finding
{
    public Finding(DetectionRule rule, CloudIdEvent evidence, IReadOnlyList<CloudIdEvent>? events = null)
    {
        Rule = rule;
        Event = evidence;
        Events = new DisplayList<CloudIdEvent>(events ?? [evidence]);
        Techniques = new DisplayList<string>(rule.Techniques);
        Tactics = new DisplayList<string>(rule.Tactics);
    }

    public DetectionRule Rule { get; }
    public string RuleId => Rule.Id;
    public string RuleTitle => Rule.Title;
    public Severity Severity => Rule.Level;
    /// <summary>MITRE ATT&amp;CK technique ids; as text (Export-Csv), joined with ", ".</summary>
    public IReadOnlyList<string> Techniques { get; }
    public IReadOnlyList<string> Tactics { get; }

    public DateTimeOffset? Time => Event.Time;
    /// <summary>The acting identity: its ARN where known, else its user name.</summary>
    public string? Actor => Event.ActorArn ?? Event.ActorUserName;
    public string? ActorUserName => Event.ActorUserName;
    public string? AccountId => Event.AccountId;
    public string? Region => Event.Region;
    public string? SourceIp => Event.SourceIp;
    public string? Service => Event.Service;
    public string? Operation => Event.Operation;
    public string LogSource => Event.LogSource;

    /// <summary>The evidence event (for a correlation, the one that completed it).</summary>
    public CloudIdEvent Event { get; }
    /// <summary>All contributing events (one for a single-event rule); as text, each event's summary.</summary>
    public IReadOnlyList<CloudIdEvent> Events { get; }

    public override string ToString() => $"[{Severity}] {RuleTitle} — {Operation} by {Actor} at {Time:O}";
}
