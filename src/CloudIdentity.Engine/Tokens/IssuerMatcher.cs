using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Tokens;

/// <summary>
/// Issuer comparison: exact and case-sensitive, after filling a <c>{tenantid}</c> template with the token's own
/// <c>tid</c> claim, so the tenant in <c>iss</c> is bound to <c>tid</c>. Templated issuers also need the tenant in an allow-list.
/// </summary>
public static class IssuerMatcher
{
    public const string TenantPlaceholder = "{tenantid}";
    private static readonly string[] NotTenants = ["common", "organizations", "consumers"];

    /// <summary>Entra's issuer templates for an authority (v2 and v1 token formats).</summary>
    public static IReadOnlyList<string> EntraTemplates(string authority = "https://login.microsoftonline.com") =>
        [authority.TrimEnd('/') + "/" + TenantPlaceholder + "/v2.0", "https://sts.windows.net/" + TenantPlaceholder + "/"];

    public static bool IsTemplate(string issuer) => issuer.Contains(TenantPlaceholder, StringComparison.OrdinalIgnoreCase);

    public static string Fill(string template, string tenant) => template.Replace(TenantPlaceholder, tenant, StringComparison.OrdinalIgnoreCase);

    public static TokenCheck Check(string? iss, string? tid, IReadOnlyList<string> issuers, IReadOnlyList<string> tenants)
    {
        if (iss is null) return Fail("MissingIssuer", "The token has no 'iss' claim.");
        if (IsTemplate(iss)) return Fail("TemplateInToken", $"The token's issuer '{iss}' is a template, never a real issuer.");
        TokenCheck? best = null;
        foreach (var configured in issuers)
        {
            if (!IsTemplate(configured))
            {
                if (string.Equals(iss, configured, StringComparison.Ordinal)) return Pass(iss);
                continue;
            }
            var pattern = "^" + Regex.Escape(configured).Replace(Regex.Escape(TenantPlaceholder), "([^/]+)", StringComparison.OrdinalIgnoreCase) + "$";
            var m = Regex.Match(iss, pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
            var inIssuer = m.Success ? m.Groups[1].Value : null;
            if (inIssuer is null) continue;
            if (NotTenants.Contains(inIssuer, StringComparer.OrdinalIgnoreCase))
            {
                best = Fail("IssuerMismatch", $"'{inIssuer}' is a metadata alias, never an issuer.");
                continue;
            }
            if (tid is null) { best = Fail("MissingTenant", "The issuer is templated but the token has no 'tid' claim."); continue; }
            if (!string.Equals(Fill(configured, tid), iss, StringComparison.Ordinal))
            {
                best = Fail("TenantMismatch", $"The tenant in 'iss' ({inIssuer}) differs from the 'tid' claim ({tid}) or the issuer differs from '{configured}'.");
                continue;
            }
            if (tenants.Contains("*") || tenants.Contains(tid, StringComparer.OrdinalIgnoreCase)) return Pass(iss);
            return Fail("TenantNotAllowed", tenants.Count == 0
                ? $"Tenant {tid} is not allowed: a templated issuer needs -TenantId (or '*' for any tenant)."
                : $"Tenant {tid} is not in the allowed tenants.");
        }
        return best ?? Fail("IssuerMismatch", $"The issuer '{iss}' is not one of: {string.Join(", ", issuers)}.");
    }

    private static TokenCheck Pass(string iss) => new(TokenCheckName.Issuer, CheckOutcome.Passed, "Ok", $"Issuer '{iss}' is accepted.");
    private static TokenCheck Fail(string reason, string message) => new(TokenCheckName.Issuer, CheckOutcome.Failed, reason, message);
}
