using System.Management.Automation;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Graph;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Azure;
using CloudIdentity.Engine.Sources.Entra;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// <para type="synopsis">Fetches Microsoft Entra ID sign-ins from Microsoft Graph as normalized CloudIdentity events.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudIdEntraSignIn")]
[OutputType(typeof(CloudIdEvent))]
public sealed class GetCloudIdEntraSignInCommand : PSCmdlet
{
    /// <summary>Which sign-ins: interactive (v1.0), or nonInteractive, servicePrincipal, managedIdentity (beta).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(SignInEventTypes.Interactive, SignInEventTypes.NonInteractive, SignInEventTypes.ServicePrincipal, SignInEventTypes.ManagedIdentity)]
    public string[] EventType { get; set; } = [SignInEventTypes.Interactive];

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
        var client = connection.GraphClient(new FetchOptions { MaxRetryDuration = MaxRetryDuration });
        var normalizer = NormalizerCatalog.Find(EntraSignInNormalizer.SourceName)!;
        foreach (var type in EventType.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var url = CollectionQueries.SignIns(connection.Cloud.GraphEndpoint, type, query);
            WriteVerbose($"GET {url}" + (type == SignInEventTypes.Interactive ? " (v1.0: interactive sign-ins only)" : " (beta: the only API with this sign-in type)"));
            var stats = new FetchStatistics();
            FetchRunner.Run(this, $"Entra {type} sign-ins", CollectionReader.ReadEventsAsync(client, url, connection.Cloud.GraphScope, "@odata.nextLink", normalizer, stats, _cancel.Token), stats, _cancel.Token);
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
