using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Azure;

namespace CloudIdentity.Engine.Sources.Entra;

/// <summary>
/// Microsoft Entra ID directory audits from Graph pages, Graph PowerShell SDK objects, Azure Monitor
/// diagnostic-settings exports (<c>AuditLogs</c>) and the Log Analytics <c>AuditLogs</c> table (nested JSON strings).
/// </summary>
public sealed class EntraAuditNormalizer : IEventNormalizer
{
    public const string SourceName = "EntraAudit";
    public string Name => SourceName;
    public string LogSource => "azure/auditlogs";

    public int Score(JsonElement r, RecordContext context)
    {
        if (r.ValueKind != JsonValueKind.Object) return 0;
        var f = new AzureFields(r);
        if (string.Equals(f.TopText("category"), "AuditLogs", StringComparison.OrdinalIgnoreCase)) return 10;
        if (f.TryGet("activityDisplayName", out _) && f.TryGet("activityDateTime", out _)) return 8;
        if (f.TryGet("initiatedBy", out _) && f.TryGet("loggedByService", out _)) return 8;
        return 0;
    }

    public CloudIdEvent Normalize(JsonElement r, RecordContext context)
    {
        var f = new AzureFields(r);
        var result = f.Text("result")?.ToLowerInvariant();
        var outcome = result switch
        {
            "success" => EventOutcome.Success,
            "failure" or "timeout" => EventOutcome.Failure,
            _ => EventOutcome.Unknown,
        };
        var user = f.TryGet("initiatedBy.user", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        var app = f.TryGet("initiatedBy.app", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        string? Of(JsonElement o, string name) => o.ValueKind == JsonValueKind.Object && AzureFields.Find(o, name, out var v) ? JsonPath.AsText(v) is { Length: > 0 } s ? s : null : null;
        var category = f.Text("category") is { } c && !string.Equals(c, "AuditLogs", StringComparison.OrdinalIgnoreCase) ? c : null;

        var isUser = user.ValueKind == JsonValueKind.Object && (Of(user, "userPrincipalName") ?? Of(user, "id")) is not null;
        return new CloudIdEvent(new JsonRecord(r))
        {
            Time = AzureTimestamps.Parse(f.TryGet("activityDateTime", out var t) ? t : f.TryGetTop("time", out var tt) ? tt : f.TryGetTop("TimeGenerated", out var tg) ? tg : default),
            Cloud = "Azure",
            LogSource = LogSource,
            AccountId = f.Text("tenantId", "AADTenantId"),
            ActorType = isUser ? "User" : app.ValueKind == JsonValueKind.Object ? "Application" : null,
            ActorUserName = isUser ? Of(user, "userPrincipalName") ?? Of(user, "displayName") : Of(app, "servicePrincipalName") ?? Of(app, "displayName") ?? f.TopText("identity"),
            ActorPrincipalId = isUser ? Of(user, "id") : Of(app, "servicePrincipalId") ?? Of(app, "appId"),
            SourceIp = (isUser ? Of(user, "ipAddress") : null) ?? f.TopText("callerIpAddress"),
            UserAgent = AdditionalDetail(f, "User-Agent"),
            Service = f.Text("loggedByService"),
            Operation = f.Text("activityDisplayName", "operationName"),
            Outcome = outcome,
            Status = outcome switch { EventOutcome.Success => "Succeeded", EventOutcome.Failure => "Failed", _ => null },
            ErrorMessage = outcome == EventOutcome.Failure ? f.Text("resultReason") : null,
            ClassUid = string.Equals(category, "UserManagement", StringComparison.OrdinalIgnoreCase) ? OcsfClass.AccountChange : OcsfClass.EntityManagement,
            EventId = f.Text("id"),
            EventType = category,
            ResourceId = f.TryGet("targetResources", out var tr) && tr.ValueKind == JsonValueKind.Array && tr.GetArrayLength() > 0 ? Of(tr[0], "id") : null,
            CorrelationId = f.Text("correlationId"),
            ApiVersion = f.IsDiagnosticExport ? "diagnostic" : f.TryGetTop("TimeGenerated", out _) ? "loganalytics" : GraphApiVersion.Of(context),
            Origin = context.Origin,
            RecordIndex = context.Index,
        };
    }

    private static string? AdditionalDetail(AzureFields f, string key)
    {
        if (!f.TryGet("additionalDetails", out var details) || details.ValueKind != JsonValueKind.Array) return null;
        foreach (var d in details.EnumerateArray())
        {
            if (AzureFields.Find(d, "key", out var k) && string.Equals(JsonPath.AsText(k), key, StringComparison.OrdinalIgnoreCase)
                && AzureFields.Find(d, "value", out var v))
                return JsonPath.AsText(v);
        }
        return null;
    }
}
