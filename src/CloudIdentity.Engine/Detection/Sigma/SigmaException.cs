namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>A rule that does not conform to the Sigma spec, or uses a feature this engine does not support.</summary>
public sealed class SigmaException(string message, string? feature = null) : Exception(message)
{
    /// <summary>The Sigma feature involved (a modifier, a condition form), for load reports.</summary>
    public string? Feature { get; } = feature;
}
