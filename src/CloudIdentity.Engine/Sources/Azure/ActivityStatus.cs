using CloudIdentity.Engine.Events;

namespace CloudIdentity.Engine.Sources.Azure;

/// <summary>
/// The Activity Log's two status vocabularies mapped onto one: the REST API says <c>Started</c>, <c>Accepted</c>,
/// <c>Succeeded</c>, <c>Failed</c>; storage and Event Hub exports say <c>Start</c>, <c>Accept</c>, <c>Success</c>,
/// <c>Failure</c>, in varying case. Categories likewise: older exports put <c>Write</c>/<c>Delete</c>/<c>Action</c>
/// where the REST shape says <c>Administrative</c>.
/// </summary>
public static class ActivityStatus
{
    public static string? Normalize(string? status)
    {
        if (string.IsNullOrWhiteSpace(status)) return null;
        return status.Trim().ToLowerInvariant() switch
        {
            "start" or "started" => "Started",
            "accept" or "accepted" => "Accepted",
            "success" or "succeeded" or "succeed" => "Succeeded",
            "failure" or "failed" or "fail" => "Failed",
            "cancel" or "canceled" or "cancelled" => "Canceled",
            "active" => "Active",
            "resolved" => "Resolved",
            "updated" => "Updated",
            "in progress" or "inprogress" => "InProgress",
            _ => status.Trim(),
        };
    }

    public static EventOutcome Outcome(string? normalizedStatus) => normalizedStatus switch
    {
        "Succeeded" => EventOutcome.Success,
        "Failed" or "Canceled" => EventOutcome.Failure,
        _ => EventOutcome.Unknown,
    };

    public static string? Category(string? category)
    {
        if (string.IsNullOrWhiteSpace(category)) return null;
        return category.Trim().ToLowerInvariant() switch
        {
            "write" or "delete" or "action" or "administrative" => "Administrative",
            "servicehealth" => "ServiceHealth",
            "resourcehealth" => "ResourceHealth",
            "alert" => "Alert",
            "autoscale" => "Autoscale",
            "recommendation" => "Recommendation",
            "security" => "Security",
            "policy" => "Policy",
            _ => category.Trim(),
        };
    }

    /// <summary>
    /// The final status of each operation, grouping the per-phase records by correlation id: a terminal status
    /// (Succeeded, Failed, Canceled) wins over Started/Accepted; among equals the latest record wins.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> FinalStatusByCorrelation(IEnumerable<CloudIdEvent> events)
    {
        var result = new Dictionary<string, (string? Status, DateTimeOffset? Time, bool Terminal)>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in events)
        {
            if (e.CorrelationId is null) continue;
            bool terminal = e.Status is "Succeeded" or "Failed" or "Canceled";
            if (!result.TryGetValue(e.CorrelationId, out var cur) || (terminal && !cur.Terminal)
                || (terminal == cur.Terminal && (e.Time ?? DateTimeOffset.MinValue) >= (cur.Time ?? DateTimeOffset.MinValue)))
                result[e.CorrelationId] = (e.Status, e.Time, terminal);
        }
        return result.ToDictionary(p => p.Key, p => p.Value.Status, StringComparer.OrdinalIgnoreCase);
    }
}
