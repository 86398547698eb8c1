using System.Management.Automation;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// <para type="synopsis">Ends the session's Azure connection made by Connect-CloudIdAzure.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "CloudIdAzure", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class DisconnectCloudIdAzureCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        var current = AzureSession.Current;
        if (current is null)
        {
            WriteVerbose("There is no Azure connection in this session.");
            return;
        }
        if (!ShouldProcess($"{current.Cloud.Name} tenant {current.TenantId ?? "(unknown)"} ({current.Method})", "Disconnect")) return;
        AzureSession.Clear();
        WriteVerbose("Disconnected; the cached credential and tokens of this session are released.");
    }
}
