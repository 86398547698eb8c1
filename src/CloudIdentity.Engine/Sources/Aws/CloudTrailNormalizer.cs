using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Sources.Aws;

/// <summary>AWS CloudTrail management, data and sign-in events (S3 files, LookupEvents, CloudTrail Lake, CloudWatch).</summary>
public sealed class CloudTrailNormalizer : IEventNormalizer
{
    public const string SourceName = "CloudTrail";
    public string Name => SourceName;
    public string LogSource => "aws/cloudtrail";

    public int Score(JsonElement r, RecordContext context)
    {
        if (r.ValueKind != JsonValueKind.Object) return 0;
        int score = 0;
        if (r.TryGetProperty("eventVersion", out _)) score += 2;
        if (r.TryGetProperty("eventSource", out var src) && src.ValueKind == JsonValueKind.String && (src.GetString() ?? "").EndsWith(".amazonaws.com", StringComparison.Ordinal)) score += 3;
        if (r.TryGetProperty("eventName", out _)) score += 1;
        if (r.TryGetProperty("awsRegion", out _)) score += 2;
        if (r.TryGetProperty("userIdentity", out _)) score += 1;
        if (r.TryGetProperty("recipientAccountId", out _)) score += 1;
        // CloudTrail Lake rows carry only the selected columns.
        if (context.Container == "QueryResultRows" && (r.TryGetProperty("eventName", out _) || r.TryGetProperty("eventID", out _) || r.TryGetProperty("eventTime", out _))) score += 3;
        return score >= 3 ? score : 0;
    }

    public CloudIdEvent Normalize(JsonElement r, RecordContext context)
    {
        var raw = new JsonRecord(r);
        var identity = r.TryGetProperty("userIdentity", out var id) && id.ValueKind == JsonValueKind.Object ? id : default;
        string? Id(string path) => identity.ValueKind == JsonValueKind.Object && JsonPath.TryGet(identity, path, out var v) ? JsonPath.AsText(v) : null;
        string? Top(string name) => r.TryGetProperty(name, out var v) ? JsonPath.AsText(v) : null;

        var eventSource = Top("eventSource");
        var eventName = Top("eventName");
        var errorCode = Top("errorCode");
        var arn = Id("arn");
        var actorType = Id("type");
        var userName = Id("userName") ?? Id("sessionContext.sessionIssuer.userName") ?? ArnTail(arn);
        if (string.IsNullOrEmpty(userName) && actorType == "Root") userName = "root";

        return new CloudIdEvent(raw)
        {
            Time = r.TryGetProperty("eventTime", out var t) ? Timestamps.Parse(t) : null,
            Cloud = "AWS",
            LogSource = LogSource,
            AccountId = Top("recipientAccountId") ?? Id("accountId"),
            Region = Top("awsRegion"),
            ActorType = actorType,
            ActorArn = string.IsNullOrEmpty(arn) ? null : arn,
            ActorUserName = string.IsNullOrEmpty(userName) ? null : userName,
            ActorPrincipalId = Id("principalId"),
            AccessKeyId = NullIfEmpty(Id("accessKeyId")),
            SessionIssuerArn = Id("sessionContext.sessionIssuer.arn"),
            SessionIssuerUserName = Id("sessionContext.sessionIssuer.userName"),
            MfaAuthenticated = Mfa(r, identity),
            SourceIp = Top("sourceIPAddress"),
            UserAgent = Top("userAgent"),
            Service = eventSource,
            Operation = eventName,
            Outcome = Outcome(r, errorCode),
            ErrorCode = NullIfEmpty(errorCode),
            ErrorMessage = Top("errorMessage"),
            ClassUid = eventSource == "signin.amazonaws.com" || eventName is "ConsoleLogin" ? OcsfClass.Authentication : OcsfClass.ApiActivity,
            EventId = Top("eventID"),
            EventType = Top("eventType"),
            ReadOnly = Bool(r, "readOnly"),
            Origin = context.Origin,
            RecordIndex = context.Index,
        };
    }

    private static EventOutcome Outcome(JsonElement r, string? errorCode)
    {
        if (!string.IsNullOrEmpty(errorCode) && !(errorCode.Length == 3 && errorCode[0] == '2' && errorCode.All(char.IsAsciiDigit)))
            return EventOutcome.Failure;
        if (JsonPath.TryGet(r, "responseElements.ConsoleLogin", out var login) && login.ValueKind == JsonValueKind.String)
            return string.Equals(login.GetString(), "Success", StringComparison.OrdinalIgnoreCase) ? EventOutcome.Success : EventOutcome.Failure;
        if (r.TryGetProperty("errorMessage", out var msg) && msg.ValueKind == JsonValueKind.String && msg.GetString()!.Length > 0)
            return EventOutcome.Failure;
        return r.TryGetProperty("eventName", out _) ? EventOutcome.Success : EventOutcome.Unknown;
    }

    private static bool? Mfa(JsonElement r, JsonElement identity)
    {
        if (identity.ValueKind == JsonValueKind.Object && JsonPath.TryGet(identity, "sessionContext.attributes.mfaAuthenticated", out var a))
        {
            var b = ParseBool(a);
            if (b is not null) return b;
        }
        if (JsonPath.TryGet(r, "additionalEventData.MFAUsed", out var used)) return ParseBool(used);
        return null;
    }

    private static bool? Bool(JsonElement r, string name) => r.TryGetProperty(name, out var v) ? ParseBool(v) : null;

    private static bool? ParseBool(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => v.GetString()?.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => null,
        },
        _ => null,
    };

    private static string? ArnTail(string? arn)
    {
        if (string.IsNullOrEmpty(arn)) return null;
        int colon = arn.LastIndexOf(':');
        var resource = colon >= 0 ? arn[(colon + 1)..] : arn;
        int slash = resource.IndexOf('/');
        return slash >= 0 ? resource[(slash + 1)..] : resource;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
