namespace CloudIdentity.Engine.Sources.Azure;

/// <summary>Diagnostic-settings categories of Microsoft Entra ID logs and the sign-in event type each one holds.</summary>
public static class EntraCategories
{
    private static readonly Dictionary<string, string> SignInCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SignInLogs"] = SignInEventTypes.Interactive,
        ["NonInteractiveUserSignInLogs"] = SignInEventTypes.NonInteractive,
        ["ServicePrincipalSignInLogs"] = SignInEventTypes.ServicePrincipal,
        ["MicrosoftServicePrincipalSignInLogs"] = SignInEventTypes.ServicePrincipal,
        ["ManagedIdentitySignInLogs"] = SignInEventTypes.ManagedIdentity,
        ["AADNonInteractiveUserSignInLogs"] = SignInEventTypes.NonInteractive,
        ["AADServicePrincipalSignInLogs"] = SignInEventTypes.ServicePrincipal,
        ["AADManagedIdentitySignInLogs"] = SignInEventTypes.ManagedIdentity,
    };

    private static readonly HashSet<string> Other = new(StringComparer.OrdinalIgnoreCase)
    {
        "AuditLogs", "ProvisioningLogs", "ADFSSignInLogs", "RiskyUsers", "UserRiskEvents", "RiskyServicePrincipals",
        "ServicePrincipalRiskEvents", "NetworkAccessTrafficLogs", "EnrichedOffice365AuditLogs", "MicrosoftGraphActivityLogs",
    };

    public static bool IsEntra(string? category) => category is not null && (SignInCategories.ContainsKey(category) || Other.Contains(category));

    /// <summary>The sign-in event type of a diagnostic category, or null when it is not a sign-in category.</summary>
    public static string? SignInEventType(string? category) =>
        category is not null && SignInCategories.TryGetValue(category, out var t) ? t : null;
}

/// <summary>The four sign-in event types, in Graph's <c>-EventType</c> vocabulary.</summary>
public static class SignInEventTypes
{
    public const string Interactive = "interactive";
    public const string NonInteractive = "nonInteractive";
    public const string ServicePrincipal = "servicePrincipal";
    public const string ManagedIdentity = "managedIdentity";

    public static readonly IReadOnlyList<string> All = [Interactive, NonInteractive, ServicePrincipal, ManagedIdentity];

    /// <summary>The value Graph beta uses in <c>signInEventTypes</c> for each type.</summary>
    public static string GraphValue(string type) => type switch
    {
        Interactive => "interactiveUser",
        NonInteractive => "nonInteractiveUser",
        ServicePrincipal => "servicePrincipal",
        ManagedIdentity => "managedIdentity",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown sign-in event type."),
    };

    public static string? FromGraphValue(string? value) => value?.ToLowerInvariant() switch
    {
        "interactiveuser" => Interactive,
        "noninteractiveuser" => NonInteractive,
        "serviceprincipal" => ServicePrincipal,
        "managedidentity" => ManagedIdentity,
        _ => null,
    };
}
