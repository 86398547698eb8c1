using System.Management.Automation;
using CloudIdentity.Engine.Tokens;

namespace CloudIdentity.Commands.Tokens;

/// <summary>
/// <para type="synopsis">Decodes a JWT's header and claims WITHOUT validating it.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "CloudIdToken")]
[OutputType(typeof(UnvalidatedToken))]
public sealed class ConvertFromCloudIdTokenCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("AccessToken", "IdToken")]
    [AllowEmptyString]
    public string[] Token { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var token in Token)
        {
            try
            {
                WriteObject(UnvalidatedToken.Decode(token));
            }
            catch (FormatException e)
            {
                // The message never contains the token; the target is masked too.
                WriteError(new ErrorRecord(new FormatException($"The token {TokenMask.Mask(token)} cannot be decoded: {e.Message}"),
                    "TokenMalformed", ErrorCategory.InvalidData, TokenMask.Mask(token)));
            }
        }
    }
}
