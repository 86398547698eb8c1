using System.Management.Automation;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Graph;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Azure;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// <para type="synopsis">Fetches the Azure Activity Log of a subscription from Azure Resource Manager as normalized CloudIdentity events.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudIdAzureActivityLog")]
[OutputType(typeof(CloudIdEvent))]
public sealed class GetCloudIdAzureActivityLogCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Subscription")]
    [ValidateNotNullOrEmpty]
    public string[] SubscriptionId { get; set; } = [];

    /// <summary>Start of the range (default: 24 hours ago). The Activity Log keeps 90 days.</summary>
    [Parameter]
    public DateTime StartTime { get; set; }

    /// <summary>End of the range (default: now).</summary>
    [Parameter]
    public DateTime EndTime { get; set; }

    /// <summary>Only operations by this caller (a user principal name or an app's object id).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Caller { get; set; }

    /// <summary>Further OData clauses ANDed to the time range (e.g. <c>resourceGroupName eq 'rg1'</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    [Parameter]
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        var connection = FetchRunner.RequireConnection(this);
        var end = MyInvocation.BoundParameters.ContainsKey(nameof(EndTime)) ? TimeArguments.ToUtc(EndTime) : DateTimeOffset.UtcNow;
        var start = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) ? TimeArguments.ToUtc(StartTime) : end.AddDays(-1);
        if (start > end)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-StartTime ({start:u}) is after -EndTime ({end:u})."),
                "InvalidTimeRange", ErrorCategory.InvalidArgument, start));
        }
        var client = connection.ResourceManagerClient(new FetchOptions { MaxRetryDuration = MaxRetryDuration });
        var normalizer = NormalizerCatalog.Find(AzureActivityNormalizer.SourceName)!;
        foreach (var subscription in SubscriptionId)
        {
            var url = CollectionQueries.ActivityLog(connection.Cloud.ResourceManagerEndpoint, subscription, start, end, new LogQuery { UserPrincipalName = Caller, Filter = Filter });
            WriteVerbose($"GET {url}");
            var stats = new FetchStatistics();
            FetchRunner.Run(this, $"Azure Activity Log {subscription}", CollectionReader.ReadEventsAsync(client, url, connection.Cloud.ResourceManagerScope, "nextLink",
                normalizer, stats, _cancel.Token), stats, _cancel.Token);
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
