using System.Management.Automation;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Graph;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Entra;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// <para type="synopsis">Fetches Microsoft Entra ID directory audit logs from Microsoft Graph as normalized CloudIdentity events.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudIdEntraAuditLog")]
[OutputType(typeof(CloudIdEvent))]
public sealed class GetCloudIdEntraAuditLogCommand : PSCmdlet
{
    [Parameter]
    public DateTime StartTime { get; set; }

    [Parameter]
    public DateTime EndTime { get; set; }

    /// <summary>Only audits initiated by this user.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("UPN")]
    [ValidateNotNullOrEmpty]
    public string? UserPrincipalName { get; set; }

    /// <summary>Only audits initiated by this application.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppId { get; set; }

    /// <summary>Audit category, e.g. RoleManagement, ApplicationManagement, UserManagement, Policy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Category { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    [Parameter]
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        var connection = FetchRunner.RequireConnection(this);
        var query = new LogQuery
        {
            StartTime = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) ? FetchRunner.ToUtc(StartTime) : null,
            EndTime = MyInvocation.BoundParameters.ContainsKey(nameof(EndTime)) ? FetchRunner.ToUtc(EndTime) : null,
            UserPrincipalName = UserPrincipalName,
            AppId = AppId,
            Filter = Filter,
            PageSize = PageSize,
        };
        var url = CollectionQueries.DirectoryAudits(connection.Cloud.GraphEndpoint, query, Category);
        WriteVerbose($"GET {url}");
        var stats = new FetchStatistics();
        var client = connection.GraphClient(new FetchOptions { MaxRetryDuration = MaxRetryDuration });
        FetchRunner.Run(this, "Entra directory audits", CollectionReader.ReadEventsAsync(client, url, connection.Cloud.GraphScope, "@odata.nextLink",
            NormalizerCatalog.Find(EntraAuditNormalizer.SourceName)!, stats, _cancel.Token), stats, _cancel.Token);
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
