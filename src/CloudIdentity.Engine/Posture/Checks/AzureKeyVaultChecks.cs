using System.Text.Json.Nodes;

namespace CloudIdentity.Engine.Posture.Checks;

internal static class Kv
{
    public static string Name(JsonObject v) => JsonNav.String(v, "id", "ResourceId", "name", "VaultName") ?? "(unnamed vault)";

    public static IEnumerable<JsonObject> Items(JsonObject vault, string kind) =>
        JsonNav.Get(vault, kind) is JsonArray a ? a.OfType<JsonObject>() : [];

    public static string ItemName(JsonObject vault, JsonObject item) =>
        $"{Name(vault)}/{JsonNav.String(item, "name", "Name", "id", "Id", "kid") ?? "?"}";

    public static bool Enabled(JsonObject item) => JsonNav.Bool(item, "attributes.enabled", "enabled", "Enabled") ?? true;
}

public abstract class VaultPropertyCheck : PostureCheck
{
    public override PostureInput Input => PostureInput.KeyVault;
    protected abstract string[] Paths { get; }
    protected abstract string What { get; }

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var v in c.KeyVaults)
        {
            yield return JsonNav.Bool(v, Paths) switch
            {
                true => Result(c, PostureStatus.Pass, Kv.Name(v), $"{What} is enabled"),
                false => Result(c, PostureStatus.Fail, Kv.Name(v), $"{What} is disabled"),
                null => Result(c, PostureStatus.Manual, Kv.Name(v), $"{What} is not in the exported data"),
            };
        }
    }
}

public sealed class KeyVaultSoftDeleteCheck : VaultPropertyCheck
{
    public override string Id => "azure-keyvault-soft-delete";
    public override string Title => "Key Vault soft delete is enabled";
    public override string ControlId => "CIS Azure 2.0 8.5";
    public override string Remediation => "az keyvault update --name <vault> --enable-soft-delete true (on by default for new vaults).";
    protected override string[] Paths => ["properties.enableSoftDelete", "EnableSoftDelete", "enableSoftDelete"];
    protected override string What => "soft delete";
}

public sealed class KeyVaultPurgeProtectionCheck : VaultPropertyCheck
{
    public override string Id => "azure-keyvault-purge-protection";
    public override string Title => "Key Vault purge protection is enabled";
    public override string ControlId => "CIS Azure 2.0 8.5";
    public override string Remediation => "az keyvault update --name <vault> --enable-purge-protection true (cannot be turned off again).";
    protected override string[] Paths => ["properties.enablePurgeProtection", "EnablePurgeProtection", "enablePurgeProtection"];
    protected override string What => "purge protection";
}

public sealed class KeyVaultRbacCheck : VaultPropertyCheck
{
    public override string Id => "azure-keyvault-rbac";
    public override string Title => "Key Vault uses Azure RBAC for data-plane access";
    public override string ControlId => "CIS Azure 2.0 8.6";
    public override string Remediation => "Assign Key Vault data roles, then az keyvault update --name <vault> --enable-rbac-authorization true.";
    protected override string[] Paths => ["properties.enableRbacAuthorization", "EnableRbacAuthorization", "enableRbacAuthorization"];
    protected override string What => "RBAC authorization";
}

public sealed class KeyVaultPublicNetworkCheck : PostureCheck
{
    public override string Id => "azure-keyvault-public-network";
    public override string Title => "Key Vault is not reachable from all public networks";
    public override string ControlId => "CIS Azure 2.0 8.7";
    public override string Remediation => "Use private endpoints and az keyvault update --name <vault> --public-network-access Disabled (or --default-action Deny with IP rules).";
    public override PostureInput Input => PostureInput.KeyVault;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var v in c.KeyVaults)
        {
            var access = JsonNav.String(v, "properties.publicNetworkAccess", "PublicNetworkAccess", "publicNetworkAccess");
            var action = JsonNav.String(v, "properties.networkAcls.defaultAction", "NetworkAcls.DefaultAction", "networkAcls.defaultAction");
            if (string.Equals(access, "Disabled", StringComparison.OrdinalIgnoreCase)) yield return Result(c, PostureStatus.Pass, Kv.Name(v), "public network access is disabled");
            else if (string.Equals(action, "Deny", StringComparison.OrdinalIgnoreCase)) yield return Result(c, PostureStatus.Pass, Kv.Name(v), "public access limited by network rules (default action Deny)");
            else if (access is null && action is null) yield return Result(c, PostureStatus.Manual, Kv.Name(v), "public network access and network rules are not in the exported data");
            else yield return Result(c, PostureStatus.Fail, Kv.Name(v), $"reachable from all networks (publicNetworkAccess {access ?? "default Enabled"}, default action {action ?? "Allow"})");
        }
    }
}

public abstract class ItemExpiryCheck : PostureCheck
{
    public override PostureInput Input => PostureInput.KeyVault;
    protected abstract string Kind { get; }

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var v in c.KeyVaults)
        {
            var (found, _) = JsonNav.Find(v, Kind);
            if (!found) { yield return Result(c, PostureStatus.Manual, Kv.Name(v), $"the vault's {Kind} were not exported"); continue; }
            foreach (var item in Kv.Items(v, Kind))
            {
                if (!Kv.Enabled(item)) continue;
                var expires = JsonNav.Date(item, "attributes.expires", "expires", "Expires", "attributes.exp");
                yield return expires is null
                    ? Result(c, PostureStatus.Fail, Kv.ItemName(v, item), "no expiration date")
                    : Result(c, PostureStatus.Pass, Kv.ItemName(v, item), $"expires {expires.Value.UtcDateTime:yyyy-MM-dd}");
            }
        }
    }
}

public sealed class KeyVaultSecretExpiryCheck : ItemExpiryCheck
{
    public override string Id => "azure-keyvault-secret-expiry";
    public override string Title => "Key Vault secrets have an expiration date";
    public override string ControlId => "CIS Azure 2.0 8.3/8.4";
    public override string Remediation => "az keyvault secret set-attributes --vault-name <vault> --name <secret> --expires <date>.";
    protected override string Kind => "secrets";
}

public sealed class KeyVaultKeyExpiryCheck : ItemExpiryCheck
{
    public override string Id => "azure-keyvault-key-expiry";
    public override string Title => "Key Vault keys have an expiration date";
    public override string ControlId => "CIS Azure 2.0 8.1/8.2";
    public override string Remediation => "az keyvault key set-attributes --vault-name <vault> --name <key> --expires <date>, or set expiryTime in the rotation policy.";
    protected override string Kind => "keys";
}

public sealed class KeyVaultKeyRotationPolicyCheck : PostureCheck
{
    public override string Id => "azure-keyvault-key-rotation";
    public override string Title => "Key Vault keys rotate automatically at least every 90 days";
    public override string ControlId => "CIS Azure 2.0 8.8";
    public override string Remediation => "az keyvault key rotation-policy update --vault-name <vault> --name <key> --value policy.json with a Rotate action (timeAfterCreate P90D or less).";
    public override PostureInput Input => PostureInput.KeyVault;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var v in c.KeyVaults)
        {
            var (found, _) = JsonNav.Find(v, "keys");
            if (!found) continue; // reported by the expiry check as Manual
            foreach (var key in Kv.Items(v, "keys"))
            {
                if (!Kv.Enabled(key)) continue;
                var (hasPolicy, policy) = JsonNav.Find(key, "rotationPolicy", "RotationPolicy", "rotation_policy");
                if (!hasPolicy) { yield return Result(c, PostureStatus.Manual, Kv.ItemName(v, key), "the rotation policy was not exported (az keyvault key rotation-policy show)"); continue; }
                var verdict = RotationPolicy.Evaluate(policy, c.Now, c.KeyVaultRotationDays);
                yield return Result(c, verdict.Status, Kv.ItemName(v, key), verdict.Reason);
            }
        }
    }
}

/// <summary>
/// Reads a Key Vault key rotation policy in any of its dialects (camelCase ARM, snake_case CLI, flattened SDK;
/// "Rotate"/"rotate") and decides whether it rotates automatically within the limit (BR-16).
/// </summary>
public static class RotationPolicy
{
    public static (PostureStatus Status, string Reason, TimeSpan? Interval) Evaluate(JsonNode? policy, DateTimeOffset anchor, int limitDays)
    {
        if (policy is null) return (PostureStatus.Fail, "no rotation policy is configured", null);
        if (policy is not JsonObject) return (PostureStatus.Error, "the rotation policy is not an object", null);
        var expiry = IsoDuration.TryParse(JsonNav.String(policy, "attributes.expiryTime", "attributes.expires_in", "attributes.expiresIn", "expiresIn", "expiryTime", "expires_in"));
        var actions = JsonNav.Get(policy, "lifetimeActions", "lifetime_actions") as JsonArray;
        TimeSpan? best = null;
        var anyRotate = false;
        foreach (var a in actions?.OfType<JsonObject>() ?? [])
        {
            var type = JsonNav.Get(a, "action") is JsonValue flat ? flat.ToString() : JsonNav.String(a, "action.type", "action.Type", "action.action_type");
            if (!string.Equals(type, "rotate", StringComparison.OrdinalIgnoreCase)) continue;
            anyRotate = true;
            var afterCreate = IsoDuration.TryParse(JsonNav.String(a, "trigger.timeAfterCreate", "trigger.time_after_create", "timeAfterCreate", "time_after_create"));
            var beforeExpiry = IsoDuration.TryParse(JsonNav.String(a, "trigger.timeBeforeExpiry", "trigger.time_before_expiry", "timeBeforeExpiry", "time_before_expiry"));
            TimeSpan? interval = null;
            if (afterCreate is not null) interval = afterCreate.LengthFrom(anchor);
            else if (beforeExpiry is not null && expiry is not null) interval = beforeExpiry.SubtractFrom(expiry.AddTo(anchor)) - anchor;
            if (interval is not null && (best is null || interval < best)) best = interval;
        }
        if (!anyRotate) return (PostureStatus.Fail, "automatic rotation is not enabled (no Rotate action; Notify only or empty)", null);
        if (best is null) return (PostureStatus.Manual, "a Rotate action exists but its trigger cannot be read", null);
        var days = (int)Math.Round(best.Value.TotalDays);
        return best.Value.TotalDays <= limitDays
            ? (PostureStatus.Pass, $"rotates every {days} days (limit {limitDays})", best)
            : (PostureStatus.Fail, $"rotates every {days} days, more than the limit of {limitDays}", best);
    }
}
