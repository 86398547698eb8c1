using System.Management.Automation;
using CloudIdentity.Engine.Graph;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// What the Graph log fetch cmdlets share: the time and actor filters, paging and retry limits, the query they make,
/// and running a fetch with Ctrl+C support. Each cmdlet adds its own filters and endpoint.
/// </summary>
public abstract class GraphLogFetchCommand : PSCmdlet
{
    [Parameter]
    public DateTime StartTime { get; set; }

    [Parameter]
    public DateTime EndTime { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("UPN")]
    [ValidateNotNullOrEmpty]
    public string? UserPrincipalName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppId { get; set; }

    /// <summary>An OData filter evaluated by Graph, ANDed with the other filters.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    [Parameter]
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _cancel = new();

    protected LogQuery BuildQuery() => new()
    {
        StartTime = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) ? TimeArguments.ToUtc(StartTime) : null,
        EndTime = MyInvocation.BoundParameters.ContainsKey(nameof(EndTime)) ? TimeArguments.ToUtc(EndTime) : null,
        UserPrincipalName = UserPrincipalName,
        AppId = AppId,
        Filter = Filter,
        PageSize = PageSize,
    };

    /// <summary>Fetches every page of <paramref name="url"/>, normalized by the named log source, to the pipeline.</summary>
    protected void Fetch(AzureConnection connection, string activity, string url, string sourceName)
    {
        var client = connection.GraphClient(new FetchOptions { MaxRetryDuration = MaxRetryDuration });
        var stats = new FetchStatistics();
        FetchRunner.Run(this, activity, CollectionReader.ReadEventsAsync(client, url, connection.Cloud.GraphScope, "@odata.nextLink",
            NormalizerCatalog.Find(sourceName)!, stats, _cancel.Token), stats, _cancel.Token);
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
