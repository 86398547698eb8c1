namespace CloudIdentity.Engine.Detection;

/// <summary>
/// Maps a Sigma <c>logsource</c> to the module's log sources. Every event carries <c>CloudIdEvent.LogSource</c> as
/// <c>product/service</c>, lower case, using SigmaHQ's own product and service names, so most rules map to
/// themselves. The convention normalizers follow:
/// <code>
///   event LogSource         Sigma logsource (SigmaHQ folder)                  source of the records
///   aws/cloudtrail          product: aws,   service: cloudtrail               CloudTrail (S3, LookupEvents, Lake, CloudWatch)
///   azure/signinlogs        product: azure, service: signinlogs               Entra ID sign-in logs
///   azure/auditlogs         product: azure, service: auditlogs                Entra ID audit logs
///   azure/activitylogs      product: azure, service: activitylogs             Azure Activity Log
///   azure/riskdetection     product: azure, service: riskdetection            Entra ID Protection risk detections
///   azure/pim               product: azure, service: pim                      Privileged Identity Management alerts
///   m365/audit              product: m365,  service: audit                    Microsoft 365 unified audit log
///   m365/exchange           product: m365,  service: exchange                 Exchange admin audit
///   m365/threat_management  product: m365,  service: threat_management        Defender / security alerts
///   m365/threat_detection   product: m365,  service: threat_detection         Defender for Cloud Apps alerts
/// </code>
/// Older or alternative spellings in rules are mapped onto these (see <see cref="ServiceAliases"/>). A rule with
/// a product but no service covers every service of that product.
/// </summary>
public static class LogSourceMap
{
    /// <summary>The log sources events use, as listed above.</summary>
    public static readonly IReadOnlyList<string> KnownSources =
    [
        "aws/cloudtrail", "azure/signinlogs", "azure/auditlogs", "azure/activitylogs", "azure/riskdetection", "azure/pim",
        "m365/audit", "m365/exchange", "m365/threat_management", "m365/threat_detection",
    ];

    /// <summary>(product, alternative service) → service used by events.</summary>
    public static readonly IReadOnlyDictionary<(string Product, string Service), string> ServiceAliases =
        new Dictionary<(string, string), string>
        {
            [("azure", "azureactivity")] = "activitylogs",
            [("azure", "activity")] = "activitylogs",
            [("azure", "signin")] = "signinlogs",
            [("azure", "signin_logs")] = "signinlogs",
            [("azure", "audit")] = "auditlogs",
            [("azure", "audit_logs")] = "auditlogs",
            [("azure", "identity_protection")] = "riskdetection",
            [("azure", "privileged_identity_management")] = "pim",
            [("m365", "threat_detection")] = "threat_detection",
        };

    /// <summary>Product aliases (<c>o365</c>, <c>microsoft365</c> → <c>m365</c>).</summary>
    private static readonly IReadOnlyDictionary<string, string> ProductAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["o365"] = "m365",
        ["microsoft365"] = "m365",
        ["office365"] = "m365",
    };

    public static LogSourceSpec Map(string? product, string? service, string? category)
    {
        var p = product?.ToLowerInvariant();
        if (p is not null && ProductAliases.TryGetValue(p, out var mappedProduct)) p = mappedProduct;
        var s = service?.ToLowerInvariant();
        if (p is not null && s is not null && ServiceAliases.TryGetValue((p, s), out var mapped)) s = mapped;
        return new LogSourceSpec(p, s, category);
    }

    /// <summary>True when rules for this logsource can run on events the module reads (or is designed to read).</summary>
    public static bool IsKnown(LogSourceSpec spec) =>
        spec.Product is not null && KnownSources.Any(spec.Covers);
}
