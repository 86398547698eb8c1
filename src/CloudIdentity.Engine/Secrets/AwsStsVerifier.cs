using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudIdentity.Engine.Secrets;

/// <summary>
/// Checks an AWS access key pair with STS GetCallerIdentity (needs no permissions and changes nothing).
/// Verified = the call succeeded; Invalid = STS rejected the key (InvalidClientTokenId, SignatureDoesNotMatch,
/// ExpiredToken); Unknown = no paired secret key, or the endpoint could not be reached.
/// </summary>
public sealed class AwsStsVerifier : ISecretVerifier
{
    private static readonly HashSet<string> InvalidCodes = new(StringComparer.Ordinal)
        { "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "IncompleteSignature", "UnrecognizedClientException" };

    public AwsStsVerifier(Uri? endpoint = null, TimeSpan? timeout = null)
    {
        Endpoint = endpoint;
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>STS endpoint; null = the public regional endpoint for us-east-1.</summary>
    public Uri? Endpoint { get; }
    public TimeSpan Timeout { get; }

    public string Describe() => Endpoint?.ToString() ?? "https://sts.us-east-1.amazonaws.com/";

    public (SecretVerification Result, string Detail) Verify(SecretFinding finding, SecretFinding? pair, SecretFinding? sessionToken)
    {
        if (finding.PatternId != "aws-access-key-id") return (SecretVerification.Unknown, "not an AWS access key id");
        if (pair is null) return (SecretVerification.Unknown, "no secret access key next to this key id: cannot verify");
        AWSCredentials credentials = finding.Secret.StartsWith("ASIA", StringComparison.Ordinal) && sessionToken is not null
            ? new SessionAWSCredentials(finding.Secret, pair.Secret, sessionToken.Secret)
            : new BasicAWSCredentials(finding.Secret, pair.Secret);
        var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 0, Timeout = Timeout };
        if (Endpoint is not null) { config.ServiceURL = Endpoint.ToString(); config.AuthenticationRegion = "us-east-1"; }
        else config.RegionEndpoint = Amazon.RegionEndpoint.USEast1;
        try
        {
            using var client = new AmazonSecurityTokenServiceClient(credentials, config);
            var response = client.GetCallerIdentityAsync(new GetCallerIdentityRequest()).GetAwaiter().GetResult();
            return (SecretVerification.Verified, $"valid: {response.Arn} (account {response.Account})");
        }
        catch (AmazonServiceException e) when (e.ErrorCode is not null && InvalidCodes.Contains(e.ErrorCode))
        {
            return (SecretVerification.Invalid, $"rejected by STS: {e.ErrorCode}");
        }
        catch (AmazonServiceException e)
        {
            return (SecretVerification.Unknown, $"STS answered {(int)e.StatusCode} {e.ErrorCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or AmazonClientException or IOException)
        {
            return (SecretVerification.Unknown, $"could not reach STS: {e.GetType().Name}");
        }
    }
}
