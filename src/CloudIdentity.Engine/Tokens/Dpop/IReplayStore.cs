namespace CloudIdentity.Engine.Tokens.Dpop;

/// <summary>Remembers DPoP proof ids (per key thumbprint) until they expire.</summary>
public interface IReplayStore
{
    /// <summary>True when (thumbprint, jti) was recorded and has not expired at <paramref name="now"/>.</summary>
    bool Contains(string thumbprint, string jti, DateTimeOffset now);

    /// <summary>Records (thumbprint, jti) until <paramref name="expiresAt"/>; false when it is already recorded and live (a replay).</summary>
    bool TryAdd(string thumbprint, string jti, DateTimeOffset expiresAt, DateTimeOffset now);
}
