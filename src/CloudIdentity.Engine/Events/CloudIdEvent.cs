namespace CloudIdentity.Engine.Events;

/// <summary>
/// One normalized log event: OCSF-aligned fields that every source fills where it can, plus the
/// whole original record in <see cref="Raw"/>. Sources: AWS CloudTrail today; others plug in as normalizers.
/// </summary>
public sealed class CloudIdEvent
{
    public CloudIdEvent(JsonRecord raw) => Raw = raw;

    /// <summary>When the event happened, always UTC.</summary>
    public DateTimeOffset? Time { get; init; }
    /// <summary>Cloud provider: AWS, Azure.</summary>
    public string Cloud { get; init; } = "";
    /// <summary>Log source in Sigma logsource terms, e.g. <c>aws/cloudtrail</c>.</summary>
    public string LogSource { get; init; } = "";
    public string? AccountId { get; init; }
    public string? Region { get; init; }

    public string? ActorType { get; init; }
    public string? ActorArn { get; init; }
    public string? ActorUserName { get; init; }
    public string? ActorPrincipalId { get; init; }
    public string? AccessKeyId { get; init; }
    public string? SessionIssuerArn { get; init; }
    public string? SessionIssuerUserName { get; init; }
    public bool? MfaAuthenticated { get; init; }

    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
    /// <summary>The service called, e.g. <c>iam.amazonaws.com</c>.</summary>
    public string? Service { get; init; }
    /// <summary>The operation, e.g. <c>AttachUserPolicy</c>.</summary>
    public string? Operation { get; init; }
    public EventOutcome Outcome { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }

    /// <summary>OCSF class id (6003 API Activity, 3002 Authentication, ...).</summary>
    public int ClassUid { get; init; }
    public string ClassName => OcsfClass.Name(ClassUid);

    public string? EventId { get; init; }
    public string? EventType { get; init; }
    public bool? ReadOnly { get; init; }

    /// <summary>The resource acted on (an Azure resource id); compare it case-insensitively.</summary>
    public string? ResourceId { get; init; }
    /// <summary>
    /// The phase or status the source reports, in one vocabulary (Azure Activity Log: <c>Started</c>, <c>Accepted</c>,
    /// <c>Succeeded</c>, <c>Failed</c>, ...), where <see cref="Outcome"/> only says success or failure.
    /// </summary>
    public string? Status { get; init; }
    /// <summary>Ties the records of one operation or sign-in flow together (Azure/Entra <c>correlationId</c>).</summary>
    public string? CorrelationId { get; init; }
    /// <summary>The API version or export shape the record came from (e.g. <c>v1.0</c>, <c>beta</c>, <c>diagnostic</c>).</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The original record, navigable from PowerShell (<c>$e.Raw.requestParameters.policyArn</c>).</summary>
    public JsonRecord Raw { get; }

    /// <summary>Where the record came from: a file path, an S3 URI, or "pipeline".</summary>
    public string? Origin { get; init; }
    /// <summary>Zero-based index of the record within its origin.</summary>
    public long RecordIndex { get; init; }

    public override string ToString() => $"{Time:O} {Service} {Operation} {ActorArn ?? ActorUserName}";
}

public static class OcsfClass
{
    public const int AccountChange = 3001;
    public const int Authentication = 3002;
    public const int AuthorizeSession = 3003;
    public const int EntityManagement = 3004;
    public const int ApiActivity = 6003;

    public static string Name(int uid) => uid switch
    {
        AccountChange => "Account Change",
        Authentication => "Authentication",
        AuthorizeSession => "Authorize Session",
        EntityManagement => "Entity Management",
        ApiActivity => "API Activity",
        _ => "Unknown",
    };
}
