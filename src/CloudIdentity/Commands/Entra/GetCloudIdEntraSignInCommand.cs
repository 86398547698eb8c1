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
public sealed class GetCloudIdEntraSignInCommand : GraphLogFetchCommand
{
    /// <summary>Which sign-ins: interactive (v1.0), or nonInteractive, servicePrincipal, managedIdentity (beta).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(SignInEventTypes.Interactive, SignInEventTypes.NonInteractive, SignInEventTypes.ServicePrincipal, SignInEventTypes.ManagedIdentity)]
    public string[] EventType { get; set; } = [SignInEventTypes.Interactive];


    protected override void ProcessRecord()
    {
        var connection = FetchRunner.RequireConnection(this);
        var query = BuildQuery();
        foreach (var type in EventType.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var url = CollectionQueries.SignIns(connection.Cloud.GraphEndpoint, type, query);
            WriteVerbose($"GET {url}" + (type == SignInEventTypes.Interactive ? " (v1.0: interactive sign-ins only)" : " (beta: the only API with this sign-in type)"));
            Fetch(connection, $"Entra {type} sign-ins", url, EntraSignInNormalizer.SourceName);
        }
    }
}
