using Azure.Identity;

namespace CloudIdentity.Engine.Graph;

/// <summary>A sign-in that did not work; the message never contains a secret.</summary>
public sealed class AzureSignInException(string message, bool invalidArgument, Exception? inner = null) : Exception(message, inner)
{
    public bool InvalidArgument { get; } = invalidArgument;
}

/// <summary>The result of a sign-in: the connection and what may be shown about its first token.</summary>
public sealed record AzureSignInResult(AzureConnection Connection, AccessTokenInfo Token, DateTimeOffset? ExpiresOn);

/// <summary>
/// Signs in with Azure.Identity and builds the session's connection. The first token is acquired at once, so a wrong
/// secret or a missing managed identity fails at connect time, not at the first fetch. Keeps Azure.Identity's types
/// inside the engine (the cmdlet assembly loads outside the private load context and must not name them).
/// </summary>
public static class AzureSignIn
{
    public static async Task<AzureSignInResult> ConnectAsync(AzureConnectOptions options, CancellationToken cancellation)
    {
        try
        {
            var tokens = new CredentialTokenSource(AzureCredentialFactory.Create(options));
            var token = await tokens.GetTokenAsync(options.Cloud.GraphScope, cancellation).ConfigureAwait(false);
            var info = AccessTokenInfo.Read(token.Token);
            var connection = new AzureConnection(tokens, options.Cloud, options.Method.ToString(), options.TenantId ?? info.TenantId, options.ClientId ?? info.AppId);
            return new AzureSignInResult(connection, info, token.ExpiresOn);
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException or ArgumentException
                                      or System.Security.Cryptography.CryptographicException or IOException)
        {
            var message = Mask(e.Message, options.ClientSecret, options.CertificatePassword);
            throw new AzureSignInException($"Sign-in with {options.Method} failed: {message}", e is ArgumentException, null);
        }
    }

    /// <summary>A connection for a token the user already holds (<c>-AccessToken</c>).</summary>
    public static AzureSignInResult FromAccessToken(string token, AzureCloud cloud, string? tenantId)
    {
        var info = AccessTokenInfo.Read(token);
        var connection = new AzureConnection(new StaticTokenSource(token, info.ExpiresOn ?? DateTimeOffset.UtcNow.AddHours(1)), cloud, "AccessToken", tenantId ?? info.TenantId, info.AppId);
        return new AzureSignInResult(connection, info, info.ExpiresOn);
    }

    private static string Mask(string message, params string?[] secrets)
    {
        foreach (var s in secrets)
        {
            if (!string.IsNullOrEmpty(s) && s.Length >= 4) message = message.Replace(s, "***", StringComparison.Ordinal);
        }
        return message;
    }
}
