namespace CloudIdentity.Commands;

/// <summary>
/// Recognizes System.Text.Json's JsonException by name: on PowerShell 7.4 the engine runs on the module's own, newer
/// System.Text.Json in its private load context, so its exceptions are not of the type this assembly compiles against.
/// </summary>
internal static class JsonErrors
{
    public static bool IsJsonException(Exception e) => e.GetType().FullName == "System.Text.Json.JsonException";
}
