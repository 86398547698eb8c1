using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudIdentity.Engine.Posture;

/// <summary>
/// Sorts exported JSON (AWS CLI, Azure CLI/ARM, or AWS Tools / Az objects converted to JSON) into the context by
/// shape: Secrets Manager secrets, KMS keys or Key Vaults. Returns false for a shape it does not know.
/// </summary>
public static class PostureInputReader
{
    public static void AddJsonText(PostureContext context, string json, string origin)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException($"{origin}: not JSON: {e.Message}", e); }
        if (!Add(context, node)) throw new FormatException($"{origin}: not a Secrets Manager, KMS or Key Vault export this module knows");
    }

    /// <summary>Adds objects given as JSON text; false when the text is not JSON or not a known export.</summary>
    public static bool TryAddJsonText(PostureContext context, string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException) { return false; }
        return Add(context, node);
    }

    public static bool Add(PostureContext context, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var any = false;
                foreach (var item in array) any |= Add(context, item);
                return any;
            case JsonObject obj:
                foreach (var container in new[] { "SecretList", "Keys", "KeyVaults", "value", "Vaults" })
                    if (JsonNav.Get(obj, container) is JsonArray inner && obj.Count <= 3) return Add(context, inner);
                switch (Classify(obj))
                {
                    case PostureInput.SecretsManagerSecret: context.SecretsManagerSecrets.Add(obj); return true;
                    case PostureInput.KmsKey: context.KmsKeys.Add(obj); return true;
                    case PostureInput.KeyVault: context.KeyVaults.Add(obj); return true;
                }
                return false;
            default:
                return false;
        }
    }

    public static PostureInput? Classify(JsonObject o)
    {
        var type = JsonNav.String(o, "type") ?? "";
        if (type.Equals("Microsoft.KeyVault/vaults", StringComparison.OrdinalIgnoreCase) || JsonNav.Find(o, "VaultName", "properties.vaultUri", "VaultUri").Found)
            return PostureInput.KeyVault;
        if (JsonNav.Find(o, "KeyMetadata", "KeyManager", "KeyRotationEnabled").Found) return PostureInput.KmsKey;
        var arn = JsonNav.String(o, "ARN", "Arn") ?? "";
        if (arn.Contains(":secretsmanager:", StringComparison.Ordinal) || JsonNav.Find(o, "RotationEnabled", "RotationRules", "LastAccessedDate").Found)
            return PostureInput.SecretsManagerSecret;
        if (arn.Contains(":kms:", StringComparison.Ordinal)) return PostureInput.KmsKey;
        return null;
    }
}
