using System.Globalization;
using CloudIdentity.Engine.Sources.Azure;

namespace CloudIdentity.Engine.Graph;

/// <summary>Filters of a log fetch: time range, actor, application, and a raw OData filter ANDed to them.</summary>
public sealed record LogQuery
{
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public string? UserPrincipalName { get; init; }
    public string? AppId { get; init; }
    public string? Filter { get; init; }
    public int? PageSize { get; init; }
}

/// <summary>
/// The first URL of each collection. Later pages are never built here: they are the server's next links, verbatim.
/// Sign-ins other than interactive exist only in Graph beta (<c>signInEventTypes</c>), so those queries go to beta;
/// interactive sign-ins are read from v1.0.
/// </summary>
public static class CollectionQueries
{
    public static string SignIns(Uri graph, string eventType, LogQuery q)
    {
        var interactive = eventType == SignInEventTypes.Interactive;
        var clauses = new List<string>();
        if (!interactive) clauses.Add($"signInEventTypes/any(t: t eq '{SignInEventTypes.GraphValue(eventType)}')");
        TimeClauses(clauses, "createdDateTime", q);
        if (q.UserPrincipalName is { } upn) clauses.Add($"userPrincipalName eq '{Quote(upn)}'");
        if (q.AppId is { } app) clauses.Add($"appId eq '{Quote(app)}'");
        if (!string.IsNullOrWhiteSpace(q.Filter)) clauses.Add($"({q.Filter})");
        return Build(graph, (interactive ? "v1.0" : "beta") + "/auditLogs/signIns", clauses, q.PageSize);
    }

    public static string DirectoryAudits(Uri graph, LogQuery q, string? category = null)
    {
        var clauses = new List<string>();
        TimeClauses(clauses, "activityDateTime", q);
        if (q.UserPrincipalName is { } upn) clauses.Add($"initiatedBy/user/userPrincipalName eq '{Quote(upn)}'");
        if (q.AppId is { } app) clauses.Add($"initiatedBy/app/appId eq '{Quote(app)}'");
        if (category is not null) clauses.Add($"category eq '{Quote(category)}'");
        if (!string.IsNullOrWhiteSpace(q.Filter)) clauses.Add($"({q.Filter})");
        return Build(graph, "v1.0/auditLogs/directoryAudits", clauses, q.PageSize);
    }

    /// <summary>ARM Activity Log: <c>eventTimestamp</c> bounds are required by the API.</summary>
    public static string ActivityLog(Uri arm, string subscriptionId, DateTimeOffset start, DateTimeOffset end, LogQuery q)
    {
        var clauses = new List<string>
        {
            $"eventTimestamp ge '{Iso(start)}'",
            $"eventTimestamp le '{Iso(end)}'",
        };
        if (q.UserPrincipalName is { } caller) clauses.Add($"caller eq '{Quote(caller)}'");
        if (!string.IsNullOrWhiteSpace(q.Filter)) clauses.Add(q.Filter!);
        var path = $"subscriptions/{Uri.EscapeDataString(subscriptionId)}/providers/Microsoft.Insights/eventtypes/management/values";
        return new Uri(arm, path).AbsoluteUri + "?api-version=2015-04-01&$filter=" + Uri.EscapeDataString(string.Join(" and ", clauses));
    }

    private static void TimeClauses(List<string> clauses, string field, LogQuery q)
    {
        if (q.StartTime is { } s) clauses.Add($"{field} ge {Iso(s)}");
        if (q.EndTime is { } e) clauses.Add($"{field} le {Iso(e)}");
    }

    private static string Build(Uri baseUri, string path, List<string> clauses, int? top)
    {
        var query = new List<string>();
        if (clauses.Count > 0) query.Add("$filter=" + Uri.EscapeDataString(string.Join(" and ", clauses)));
        if (top is { } t) query.Add("$top=" + t.ToString(CultureInfo.InvariantCulture));
        var url = new Uri(baseUri, path).AbsoluteUri;
        return query.Count == 0 ? url : url + "?" + string.Join("&", query);
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>OData string literal: a single quote is doubled.</summary>
    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
