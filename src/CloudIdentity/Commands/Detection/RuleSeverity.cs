using CloudIdentity.Engine.Detection;

namespace CloudIdentity.Commands;

/// <summary>
/// Rule levels for cmdlet parameters (<c>-MinimumLevel High</c>). It mirrors the engine's <see cref="Severity"/> but
/// lives in the cmdlet assembly: a cmdlet field of an engine value type makes PowerShell load the engine while it
/// reflects over the cmdlets, before the module's load context is hooked up, and the import fails.
/// </summary>
public enum RuleSeverity
{
    Informational = Severity.Informational,
    Low = Severity.Low,
    Medium = Severity.Medium,
    High = Severity.High,
    Critical = Severity.Critical,
}
