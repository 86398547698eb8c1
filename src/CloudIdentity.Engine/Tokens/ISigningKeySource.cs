namespace CloudIdentity.Engine.Tokens;

/// <summary>Where verification keys come from: a fixed set, or an issuer whose published JWKS may change.</summary>
public interface ISigningKeySource
{
    string Description { get; }

    /// <summary>True when <see cref="GetKeysAsync"/> with <c>refresh</c> can bring new keys (an issuer's JWKS).</summary>
    bool CanRefresh { get; }

    /// <summary>The current keys. <paramref name="refresh"/> asks for a refetch, which the source may rate-limit.</summary>
    ValueTask<SigningKeySet> GetKeysAsync(KeyRefresh refresh, CancellationToken cancellationToken);
}

/// <summary>Why a refetch is asked for: unknown kids are attacker-controlled and get the stricter budget.</summary>
public enum KeyRefresh { None, UnknownKeyId, FailedSignature }

/// <summary>A key set that never changes: a JWKS file or JSON, or keys given directly.</summary>
public sealed class StaticKeySource(SigningKeySet keys) : ISigningKeySource
{
    public string Description => keys.Source;
    public bool CanRefresh => false;
    public ValueTask<SigningKeySet> GetKeysAsync(KeyRefresh refresh, CancellationToken cancellationToken) => ValueTask.FromResult(keys);
}

/// <summary>The keys could not be obtained and no last-known-good copy is usable.</summary>
public sealed class KeySourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
