using Azure.Core;

namespace CloudIdentity.Engine.Graph;

/// <summary>Gives bearer tokens for a scope. The token text never leaves the HTTP layer.</summary>
public interface IAccessTokenSource
{
    ValueTask<AccessToken> GetTokenAsync(string scope, CancellationToken cancellation);
}

/// <summary>Tokens from an Azure.Identity credential (managed identity, client secret, certificate, device code).</summary>
public sealed class CredentialTokenSource(TokenCredential credential) : IAccessTokenSource
{
    public ValueTask<AccessToken> GetTokenAsync(string scope, CancellationToken cancellation) =>
        credential.GetTokenAsync(new TokenRequestContext([scope]), cancellation);
}

/// <summary>A token the user already holds (<c>-AccessToken</c>): used as is for every scope until it expires.</summary>
public sealed class StaticTokenSource(string token, DateTimeOffset expiresOn) : IAccessTokenSource
{
    public ValueTask<AccessToken> GetTokenAsync(string scope, CancellationToken cancellation) => new(new AccessToken(token, expiresOn));
}
