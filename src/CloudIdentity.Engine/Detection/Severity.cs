namespace CloudIdentity.Engine.Detection;

/// <summary>Sigma rule levels, in increasing order of severity.</summary>
public enum Severity
{
    Informational = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
