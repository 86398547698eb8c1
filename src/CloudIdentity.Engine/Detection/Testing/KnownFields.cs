namespace CloudIdentity.Engine.Detection.Testing;

/// <summary>
/// Top-level record fields per log source, for "unknown field" warnings. A rule field is checked by its first
/// path segment (<c>requestParameters.userName</c> → <c>requestParameters</c>): what sits below is service specific.
/// Log sources without a list are not checked.
/// </summary>
public static class KnownFields
{
    private static readonly Dictionary<string, HashSet<string>> BySource = new(StringComparer.OrdinalIgnoreCase)
    {
        // CloudTrail record contents (AWS CloudTrail User Guide, "CloudTrail record contents").
        ["aws/cloudtrail"] = new(StringComparer.Ordinal)
        {
            "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
            "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
            "requestID", "eventID", "eventType", "apiVersion", "managementEvent", "readOnly", "resources",
            "recipientAccountId", "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
            "eventCategory", "addendum", "sessionCredentialFromConsole", "edgeDeviceDetails", "tlsDetails", "insightDetails",
        },
    };

    /// <summary>The known top-level fields of a log source (product/service), or null when it has no list.</summary>
    public static IReadOnlySet<string>? For(string logSource) => BySource.TryGetValue(logSource, out var set) ? set : null;

    /// <summary>Fields of a rule that the log source does not have (compared case-sensitively, as CloudTrail is).</summary>
    public static IReadOnlyList<string> Unknown(DetectionRule rule)
    {
        if (rule.LogSource.Product is null || rule.LogSource.Service is null) return [];
        var known = For($"{rule.LogSource.Product}/{rule.LogSource.Service}");
        if (known is null) return [];
        return rule.DetectionFields.Where(f => !known.Contains(f.Split('.')[0])).ToArray();
    }
}
