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
public sealed class GetCloudIdEntraAuditLogCommand : GraphLogFetchCommand
{
    /// <summary>Audit category, e.g. RoleManagement, ApplicationManagement, UserManagement, Policy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Category { get; set; }

    protected override void ProcessRecord()
    {
        var connection = FetchRunner.RequireConnection(this);
        var url = CollectionQueries.DirectoryAudits(connection.Cloud.GraphEndpoint, BuildQuery(), Category);
        WriteVerbose($"GET {url}");
        Fetch(connection, "Entra directory audits", url, EntraAuditNormalizer.SourceName);
    }
}
