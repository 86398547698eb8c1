using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Azure;

namespace CloudIdentity.Engine.Sources.Entra;

/// <summary>
/// Microsoft Entra ID sign-ins (interactive, non-interactive, service principal, managed identity) from Graph
/// v1.0/beta pages, Graph PowerShell SDK objects, Azure Monitor diagnostic-settings exports and Log Analytics.
/// Properties a shape does not carry (v1.0 has no <c>signInEventTypes</c>) stay null: unknown, not empty.
/// </summary>
public sealed class EntraSignInNormalizer : IEventNormalizer
{
    public const string SourceName = "EntraSignIn";
    public string Name => SourceName;
    public string LogSource => "azure/signinlogs";

    public int Score(JsonElement r, RecordContext context)
    {
        if (r.ValueKind != JsonValueKind.Object) return 0;
        var f = new AzureFields(r);
        if (EntraCategories.SignInEventType(f.TopText("category")) is not null) return 10;
        bool when = f.TryGet("createdDateTime", out _);
        bool who = f.TryGet("userPrincipalName", out _) || f.TryGet("servicePrincipalId", out _) || f.TryGet("appId", out _);
        bool what = f.TryGet("status", out _) || f.TryGet("ipAddress", out _) || f.TryGet("isInteractive", out _) || f.TryGet("clientAppUsed", out _);
        return when && who && what ? 8 : 0;
    }

    public CloudIdEvent Normalize(JsonElement r, RecordContext context)
    {
        var f = new AzureFields(r);
        var category = f.TopText("category");
        var eventType = EventType(f, category);
        var errorCode = f.TryGet("status.errorCode", out var ec) ? JsonPath.AsText(ec) : f.TopText("resultType");
        var outcome = errorCode is null ? EventOutcome.Unknown : errorCode == "0" ? EventOutcome.Success : EventOutcome.Failure;
        var upn = f.Text("userPrincipalName");
        var spName = f.Text("servicePrincipalName") ?? (eventType is SignInEventTypes.ServicePrincipal or SignInEventTypes.ManagedIdentity ? f.Text("appDisplayName") : null);
        var actorType = eventType switch
        {
            SignInEventTypes.ServicePrincipal => "ServicePrincipal",
            SignInEventTypes.ManagedIdentity => "ManagedIdentity",
            _ => upn is not null || f.Text("userId") is not null ? "User" : spName is not null ? "ServicePrincipal" : null,
        };

        return new CloudIdEvent(new JsonRecord(r))
        {
            Time = AzureTimestamps.Parse(f.TryGet("createdDateTime", out var t) ? t : f.TryGetTop("time", out var tt) ? tt : f.TryGetTop("TimeGenerated", out var tg) ? tg : default),
            Cloud = "Azure",
            LogSource = LogSource,
            AccountId = f.Text("resourceTenantId", "tenantId", "AADTenantId", "homeTenantId"),
            ActorType = actorType,
            ActorUserName = actorType == "User" ? upn ?? f.Text("userDisplayName") : spName ?? upn,
            ActorPrincipalId = actorType == "User" ? f.Text("userId") : f.Text("servicePrincipalId", "userId"),
            MfaAuthenticated = f.Text("authenticationRequirement") switch
            {
                "multiFactorAuthentication" => true,
                "singleFactorAuthentication" => false,
                _ => null,
            },
            SourceIp = f.Text("ipAddress", "callerIpAddress"),
            UserAgent = f.Text("userAgent"),
            Service = f.Text("resourceDisplayName", "appDisplayName"),
            Operation = "Sign-in activity",
            Outcome = outcome,
            Status = outcome switch { EventOutcome.Success => "Succeeded", EventOutcome.Failure => "Failed", _ => null },
            ErrorCode = outcome == EventOutcome.Failure ? errorCode : null,
            ErrorMessage = outcome == EventOutcome.Failure ? f.Text("status.failureReason", "resultDescription") : null,
            ClassUid = OcsfClass.Authentication,
            EventId = f.Text("id"),
            EventType = eventType,
            ResourceId = f.Text("resourceId"),
            CorrelationId = f.Text("correlationId"),
            ApiVersion = f.IsDiagnosticExport ? "diagnostic" : f.TryGetTop("TimeGenerated", out _) ? "loganalytics" : GraphApiVersion.Of(context),
            Origin = context.Origin,
            RecordIndex = context.Index,
        };
    }

    /// <summary>The sign-in event type: the export category, beta's <c>signInEventTypes</c>, then <c>isInteractive</c>.</summary>
    private static string? EventType(AzureFields f, string? category)
    {
        if (EntraCategories.SignInEventType(category) is { } fromCategory) return fromCategory;
        if (f.TryGet("signInEventTypes", out var types) && types.ValueKind == JsonValueKind.Array)
        {
            foreach (var v in types.EnumerateArray())
            {
                if (SignInEventTypes.FromGraphValue(JsonPath.AsText(v)) is { } t) return t;
            }
        }
        if (f.TryGet("isInteractive", out var ii) && AzureFields.Bool(ii) is { } interactive)
        {
            if (interactive) return SignInEventTypes.Interactive;
            if (f.Text("userPrincipalName") is null && f.Text("servicePrincipalId") is not null) return SignInEventTypes.ServicePrincipal;
            return SignInEventTypes.NonInteractive;
        }
        return null;
    }
}
