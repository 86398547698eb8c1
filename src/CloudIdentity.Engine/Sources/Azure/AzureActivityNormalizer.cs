using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Sources.Azure;

/// <summary>
/// Azure Activity Log, in the REST shape (<c>eventTimestamp</c>, <c>{value, localizedValue}</c> objects, <c>status</c>)
/// and in the diagnostic-settings storage/Event Hub shape (<c>time</c>, <c>resultType</c>, <c>identity.claims</c>,
/// JSON lines or <c>{"records":[...]}</c>). Operation, resource id, category and status come out in one form.
/// Azure Monitor resource logs in the same common schema (for example storage <c>StorageRead</c>) are read here too.
/// </summary>
public sealed class AzureActivityNormalizer : IEventNormalizer
{
    public const string SourceName = "AzureActivity";
    public string Name => SourceName;
    public string LogSource => "azure/activitylogs";

    private const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    private const string NameClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    private const string OidClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string TenantClaim = "http://schemas.microsoft.com/identity/claims/tenantid";

    public int Score(JsonElement r, RecordContext context)
    {
        if (r.ValueKind != JsonValueKind.Object) return 0;
        var f = new AzureFields(r);
        var resourceId = f.TopText("resourceId") ?? "";
        var category = f.TopText("category");
        if (EntraCategories.IsEntra(category)) return 0;
        if (resourceId.StartsWith("/tenants/", StringComparison.OrdinalIgnoreCase) && resourceId.Contains("microsoft.aadiam", StringComparison.OrdinalIgnoreCase))
            return 0;
        int score = 0;
        if (resourceId.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)) score += 3;
        if (f.TryGetTop("eventTimestamp", out _)) score += 2;
        if (f.TryGetTop("eventDataId", out _) || f.TryGetTop("submissionTimestamp", out _)) score += 2;
        if (f.TryGetTop("operationName", out _)) score += 1;
        if (ActivityStatus.Category(category) is "Administrative" or "Policy" or "Security" or "ServiceHealth" or "ResourceHealth" or "Alert" or "Autoscale" or "Recommendation")
            score += 3;
        // Resource logs in the common Azure Monitor schema (e.g. StorageRead/StorageWrite/StorageDelete) share the envelope.
        if (category is not null && category.StartsWith("Storage", StringComparison.OrdinalIgnoreCase) && f.TryGetTop("operationName", out _)) score += 3;
        if (f.TryGetTop("resultType", out _) || f.TryGetTop("status", out _)) score += 1;
        return score >= 4 ? score : 0;
    }

    public CloudIdEvent Normalize(JsonElement r, RecordContext context)
    {
        var f = new AzureFields(r);
        var rest = f.TryGetTop("eventTimestamp", out _) || (f.TryGetTop("status", out var st) && st.ValueKind == JsonValueKind.Object);
        var claims = f.TryGetTop("claims", out var c) ? c : f.TryGetTop("identity", out var idv) && AzureFields.Find(AzureFields.Decode(idv), "claims", out var ic) ? AzureFields.Decode(ic) : default;
        string? Claim(string name) => claims.ValueKind == JsonValueKind.Object && AzureFields.Find(claims, name, out var v) ? JsonPath.AsText(v)?.Trim() : null;

        var resourceId = f.TopText("resourceId")?.ToLowerInvariant();
        var operation = f.TopText("operationName")?.ToLowerInvariant();
        var status = ActivityStatus.Normalize(f.TopText("status") ?? f.TopText("resultType"));
        var appId = Claim("appid");
        var caller = f.TopText("caller") ?? Claim(UpnClaim) ?? Claim(NameClaim) ?? appId;
        var principalId = Claim(OidClaim) ?? f.TopText("identity.authorization.evidence.principalId");
        var actorType = f.TopText("identity.authorization.evidence.principalType") ?? f.TopText("authorization.evidence.principalType")
            ?? (caller is null ? null
                : Guid.TryParse(caller, out _) || (Claim(UpnClaim) is null && appId is not null) ? "ServicePrincipal" : "User");
        var errorCode = status == "Failed" ? f.TopText("subStatus") ?? f.TopText("resultSignature") ?? f.TopText("properties.statusCode") : null;

        return new CloudIdEvent(new JsonRecord(r))
        {
            Time = AzureTimestamps.Parse(f.TryGetTop("eventTimestamp", out var et) ? et : f.TryGetTop("time", out var t) ? t : default),
            Cloud = "Azure",
            LogSource = LogSource,
            AccountId = (f.TopText("subscriptionId") ?? SubscriptionOf(resourceId))?.ToLowerInvariant(),
            Region = f.TopText("location"),
            ActorType = actorType,
            ActorUserName = caller,
            ActorPrincipalId = principalId ?? (actorType == "ServicePrincipal" ? caller : null),
            SourceIp = f.TopText("callerIpAddress") ?? f.TopText("httpRequest.clientIpAddress") ?? Claim("ipaddr"),
            UserAgent = f.TopText("properties.userAgent"),
            Service = (f.TopText("resourceProviderName") ?? ProviderOf(operation))?.ToLowerInvariant(),
            Operation = operation,
            Outcome = ActivityStatus.Outcome(status),
            Status = status,
            ErrorCode = errorCode,
            ErrorMessage = status == "Failed" ? f.TopText("resultDescription") ?? f.TopText("properties.statusMessage") : null,
            ClassUid = OcsfClass.ApiActivity,
            EventId = f.TopText("eventDataId") ?? f.TopText("id"),
            EventType = ActivityStatus.Category(f.TopText("category")),
            ReadOnly = operation is null ? null : operation.EndsWith("/read", StringComparison.Ordinal),
            ResourceId = resourceId,
            CorrelationId = f.TopText("correlationId"),
            ApiVersion = rest ? "rest" : "diagnostic",
            ActorArn = null,
            Origin = context.Origin,
            RecordIndex = context.Index,
        };
    }

    private static string? SubscriptionOf(string? resourceId)
    {
        if (resourceId is null || !resourceId.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)) return null;
        var rest = resourceId["/subscriptions/".Length..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? rest : rest[..slash];
    }

    private static string? ProviderOf(string? operation)
    {
        if (string.IsNullOrEmpty(operation)) return null;
        int slash = operation.IndexOf('/');
        return slash > 0 ? operation[..slash] : null;
    }
}
