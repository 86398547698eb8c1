using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Posture.Checks;

internal static class Sm
{
    public static string Name(JsonObject s) => JsonNav.String(s, "ARN", "Arn", "Name") ?? "(unnamed secret)";
    public static bool? RotationEnabled(JsonObject s) => JsonNav.Bool(s, "RotationEnabled");

    /// <summary>The rotation interval in days: AutomaticallyAfterDays, or rate(N days) / a schedule expression we can read.</summary>
    public static int? IntervalDays(JsonObject s)
    {
        var days = JsonNav.Number(s, "RotationRules.AutomaticallyAfterDays");
        if (days is > 0) return (int)days.Value;
        var expr = JsonNav.String(s, "RotationRules.ScheduleExpression");
        if (expr is null) return null;
        var m = Regex.Match(expr, @"^rate\((\d+)\s+(day|days|hour|hours)\)$", RegexOptions.IgnoreCase);
        if (m.Success) return m.Groups[2].Value.StartsWith("hour", StringComparison.OrdinalIgnoreCase) ? Math.Max(1, int.Parse(m.Groups[1].Value) / 24) : int.Parse(m.Groups[1].Value);
        return null;
    }
}

public sealed class SecretsManagerRotationEnabledCheck : PostureCheck
{
    public override string Id => "aws-secretsmanager-rotation-enabled";
    public override string Title => "Secrets Manager secrets have automatic rotation enabled";
    public override string ControlId => "AWS FSBP SecretsManager.1";
    public override string Remediation => "Configure rotation: aws secretsmanager rotate-secret --secret-id <arn> --rotation-rules AutomaticallyAfterDays=90 (with a rotation function or managed rotation).";
    public override PostureInput Input => PostureInput.SecretsManagerSecret;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var s in c.SecretsManagerSecrets)
        {
            yield return Sm.RotationEnabled(s) switch
            {
                true => Result(c, PostureStatus.Pass, Sm.Name(s), "rotation is enabled"),
                false => Result(c, PostureStatus.Fail, Sm.Name(s), "rotation is disabled"),
                // list-secrets leaves RotationEnabled out when rotation was never configured.
                null => Result(c, PostureStatus.Fail, Sm.Name(s), "rotation is not configured"),
            };
        }
    }
}

public sealed class SecretsManagerRotatedOnScheduleCheck : PostureCheck
{
    public override string Id => "aws-secretsmanager-rotated-on-schedule";
    public override string Title => "Secrets with rotation were rotated within their schedule";
    public override string ControlId => "AWS FSBP SecretsManager.4";
    public override string Remediation => "Check the rotation function's CloudWatch logs, fix the failure, and run aws secretsmanager rotate-secret --secret-id <arn>.";
    public override PostureInput Input => PostureInput.SecretsManagerSecret;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var s in c.SecretsManagerSecrets)
        {
            if (Sm.RotationEnabled(s) != true) continue;
            var interval = Sm.IntervalDays(s);
            if (interval is null) { yield return Result(c, PostureStatus.Manual, Sm.Name(s), "the rotation schedule cannot be read (cron schedule or not exported)"); continue; }
            var last = JsonNav.Date(s, "LastRotatedDate");
            var created = JsonNav.Date(s, "CreatedDate");
            var since = last ?? created;
            if (since is null) { yield return Result(c, PostureStatus.Manual, Sm.Name(s), "no LastRotatedDate or CreatedDate"); continue; }
            var days = Report.Days(c.Now - since.Value);
            // One day of grace: rotation runs within a window after the due date.
            yield return days > interval + 1
                ? Result(c, PostureStatus.Fail, Sm.Name(s), $"{(last is null ? "never rotated; created" : "last rotated")} {days} days ago, schedule every {interval} days")
                : Result(c, PostureStatus.Pass, Sm.Name(s), $"last rotated {days} days ago, schedule every {interval} days");
        }
    }
}

public sealed class SecretsManagerUnusedCheck : PostureCheck
{
    public override string Id => "aws-secretsmanager-unused";
    public override string Title => "Secrets Manager secrets are used (accessed within 90 days)";
    public override string ControlId => "AWS FSBP SecretsManager.3";
    public override string Remediation => "Confirm nothing needs the secret, then delete it with a recovery window: aws secretsmanager delete-secret --secret-id <arn> --recovery-window-in-days 30.";
    public override PostureInput Input => PostureInput.SecretsManagerSecret;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var s in c.SecretsManagerSecrets)
        {
            var accessed = JsonNav.Date(s, "LastAccessedDate");
            var created = JsonNav.Date(s, "CreatedDate");
            var since = accessed ?? created;
            if (since is null) { yield return Result(c, PostureStatus.Manual, Sm.Name(s), "no LastAccessedDate or CreatedDate"); continue; }
            var days = Report.Days(c.Now - since.Value);
            var what = accessed is null ? "never accessed; created" : "last accessed";
            yield return Result(c, days > c.UnusedSecretDays ? PostureStatus.Fail : PostureStatus.Pass, Sm.Name(s), $"{what} {days} days ago (limit {c.UnusedSecretDays})");
        }
    }
}

public sealed class SecretsManagerPublicPolicyCheck : PostureCheck
{
    public override string Id => "aws-secretsmanager-policy-public";
    public override string Title => "Secret resource policies do not allow everyone";
    public override string ControlId => "AWS Secrets Manager best practice (block public policy)";
    public override string Remediation => "Remove the statement that allows Principal \"*\" (or add a restricting Condition); use aws secretsmanager put-resource-policy --block-public-policy.";
    public override PostureInput Input => PostureInput.SecretsManagerSecret;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var s in c.SecretsManagerSecrets)
        {
            var (found, value) = JsonNav.Find(s, "ResourcePolicy", "Policy");
            if (!found) { yield return Result(c, PostureStatus.Manual, Sm.Name(s), "the resource policy was not exported (aws secretsmanager get-resource-policy)"); continue; }
            if (value is null || (value is JsonValue v && string.IsNullOrWhiteSpace(v.ToString()))) { yield return Result(c, PostureStatus.Pass, Sm.Name(s), "no resource policy"); continue; }
            JsonNode? policy;
            try { policy = value is JsonValue text ? JsonNode.Parse(text.ToString()) : value; }
            catch (JsonException) { policy = null; }
            if (policy is null) { yield return Result(c, PostureStatus.Error, Sm.Name(s), "the resource policy is not valid JSON"); continue; }
            var statements = JsonNav.Get(policy, "Statement");
            var list = statements is JsonArray a ? a.ToList() : [statements];
            var open = list.OfType<JsonObject>().Where(st =>
                string.Equals(JsonNav.String(st, "Effect"), "Allow", StringComparison.OrdinalIgnoreCase)
                && IsEveryone(JsonNav.Get(st, "Principal")) && JsonNav.Get(st, "Condition") is null).ToList();
            yield return open.Count > 0
                ? Result(c, PostureStatus.Fail, Sm.Name(s), $"{open.Count} statement(s) allow Principal \"*\" without a condition")
                : Result(c, PostureStatus.Pass, Sm.Name(s), "no statement allows everyone");
        }
    }

    private static bool IsEveryone(JsonNode? principal) => principal switch
    {
        JsonValue v => v.ToString() == "*",
        JsonObject o => o.Any(kv => kv.Value is JsonValue x ? x.ToString() == "*" : kv.Value is JsonArray arr && arr.Any(e => e?.ToString() == "*")),
        _ => false,
    };
}

public sealed class KmsKeyRotationCheck : PostureCheck
{
    public override string Id => "aws-kms-key-rotation";
    public override string Title => "Rotation is enabled for customer-managed symmetric KMS keys";
    public override string ControlId => "CIS AWS 3.0 3.6";
    public override string Remediation => "aws kms enable-key-rotation --key-id <key-id> (optionally --rotation-period-in-days).";
    public override PostureInput Input => PostureInput.KmsKey;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var k in c.KmsKeys)
        {
            var name = JsonNav.String(k, "KeyMetadata.Arn", "Arn", "KeyArn", "KeyMetadata.KeyId", "KeyId") ?? "(unnamed key)";
            var manager = JsonNav.String(k, "KeyMetadata.KeyManager", "KeyManager");
            var spec = JsonNav.String(k, "KeyMetadata.KeySpec", "KeySpec", "KeyMetadata.CustomerMasterKeySpec", "CustomerMasterKeySpec");
            var state = JsonNav.String(k, "KeyMetadata.KeyState", "KeyState");
            var origin = JsonNav.String(k, "KeyMetadata.Origin", "Origin");
            if (manager is not null && !manager.Equals("CUSTOMER", StringComparison.OrdinalIgnoreCase)) continue; // AWS-managed keys rotate themselves
            if (spec is not null && !spec.Equals("SYMMETRIC_DEFAULT", StringComparison.OrdinalIgnoreCase)) continue; // asymmetric/HMAC keys cannot rotate
            if (state is not null && !state.Equals("Enabled", StringComparison.OrdinalIgnoreCase)) continue;
            if (origin is not null && !origin.Equals("AWS_KMS", StringComparison.OrdinalIgnoreCase)) continue; // imported material cannot auto-rotate
            if (manager is null) { yield return Result(c, PostureStatus.Manual, name, "KeyManager is not exported: cannot tell a customer key from an AWS-managed one"); continue; }
            yield return JsonNav.Bool(k, "KeyRotationEnabled", "KeyMetadata.KeyRotationEnabled") switch
            {
                true => Result(c, PostureStatus.Pass, name, "automatic rotation is enabled"),
                false => Result(c, PostureStatus.Fail, name, "automatic rotation is disabled"),
                null => Result(c, PostureStatus.Manual, name, "KeyRotationEnabled was not exported (aws kms get-key-rotation-status)"),
            };
        }
    }
}
