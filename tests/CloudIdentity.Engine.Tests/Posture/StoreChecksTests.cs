using System.Text.Json.Nodes;
using CloudIdentity.Engine.Posture;
using CloudIdentity.Engine.Posture.Checks;
using Microsoft.Extensions.Time.Testing;

namespace CloudIdentity.Engine.Tests.Posture;

public class StoreChecksTests
{
    private static readonly DateTimeOffset May1 = CredentialReportTests.May1;

    private static List<PostureResult> Run(string json, string checkId)
    {
        var ctx = new PostureContext(new FakeTimeProvider(May1));
        PostureInputReader.AddJsonText(ctx, json, "test");
        return PostureCheckCatalog.Run(ctx, PostureCheckCatalog.All.Where(c => c.Id == checkId)).ToList();
    }

    [Fact]
    public void Every_check_has_unique_id_and_metadata_and_is_found_by_interface()
    {
        var all = PostureCheckCatalog.All;
        Assert.Equal(all.Count, all.Select(c => c.Id).Distinct().Count());
        Assert.True(all.Count >= 17);
        Assert.All(all, c =>
        {
            Assert.Matches("^(aws|azure)-[a-z0-9-]+$", c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Title));
            Assert.False(string.IsNullOrWhiteSpace(c.ControlId));
            Assert.False(string.IsNullOrWhiteSpace(c.Remediation));
        });
        foreach (var cis in new[] { "CIS AWS 3.0 1.4", "CIS AWS 3.0 1.5", "CIS AWS 3.0 1.10", "CIS AWS 3.0 1.12", "CIS AWS 3.0 1.13", "CIS AWS 3.0 1.14", "CIS AWS 3.0 3.6" })
            Assert.Contains(all, c => c.ControlId == cis);
    }

    [Theory]
    [InlineData("""{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P1Y"}}""", PostureStatus.Pass, 90)]
    [InlineData("""{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"rotate"}}],"attributes":{"expiryTime":"P1Y"}}""", PostureStatus.Pass, 90)]
    [InlineData("""{"lifetime_actions":[{"trigger":{"time_after_create":"P90D"},"action":{"type":"Rotate"}}],"attributes":{"expires_in":"P1Y"}}""", PostureStatus.Pass, 90)]
    [InlineData("""{"lifetimeActions":[{"action":"Rotate","timeAfterCreate":"P90D","timeBeforeExpiry":null}],"expiresIn":"P1Y"}""", PostureStatus.Pass, 90)]
    [InlineData("""{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P1Y"}}""", PostureStatus.Fail, null)]
    [InlineData("""{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P1Y"}}""", PostureStatus.Fail, 335)]
    [InlineData("null", PostureStatus.Fail, null)]
    public void BR16_rotation_policy_dialects(string policy, PostureStatus expected, int? days)
    {
        var (status, reason, interval) = RotationPolicy.Evaluate(JsonNode.Parse(policy), May1, 90);
        Assert.Equal(expected, status);
        Assert.Equal(days, interval is null ? null : (int)Math.Round(interval.Value.TotalDays));
        if (policy == "null") Assert.Contains("no rotation policy", reason);
    }

    [Fact]
    public void BR16_iso_durations_use_calendar_months_and_distinguish_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(3), IsoDuration.TryParse("PT3M")!.LengthFrom(May1));
        Assert.Equal(TimeSpan.FromDays(92), IsoDuration.TryParse("P3M")!.LengthFrom(May1)); // May, June, July
        Assert.Equal(TimeSpan.FromDays(90), IsoDuration.TryParse("P3M")!.LengthFrom(new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromDays(365), IsoDuration.TryParse("P1Y")!.LengthFrom(May1));
        Assert.Null(IsoDuration.TryParse("3M"));
    }

    [Fact]
    public void Key_vault_checks_read_cli_json_and_missing_data_is_manual()
    {
        var vault = """
            {"id":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1","name":"kv1","type":"Microsoft.KeyVault/vaults",
             "properties":{"vaultUri":"https://kv1.vault.azure.net/","enableSoftDelete":true,"enablePurgeProtection":null,"enableRbacAuthorization":false,"publicNetworkAccess":"Enabled","networkAcls":null},
             "secrets":[{"name":"db","attributes":{"enabled":true,"expires":null}},{"name":"api","attributes":{"enabled":true,"expires":"2025-01-01T00:00:00+00:00"}}],
             "keys":[{"name":"k1","attributes":{"enabled":true,"expires":"2025-01-01T00:00:00+00:00"},"rotationPolicy":{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}}]}},
                     {"name":"k2","attributes":{"enabled":true}}]}
            """;
        Assert.Equal(PostureStatus.Pass, Run(vault, "azure-keyvault-soft-delete").Single().Status);
        Assert.Equal(PostureStatus.Manual, Run(vault, "azure-keyvault-purge-protection").Single().Status);
        Assert.Equal(PostureStatus.Fail, Run(vault, "azure-keyvault-rbac").Single().Status);
        Assert.Equal(PostureStatus.Fail, Run(vault, "azure-keyvault-public-network").Single().Status);
        var secrets = Run(vault, "azure-keyvault-secret-expiry");
        Assert.Equal(PostureStatus.Fail, secrets.Single(r => r.Resource.EndsWith("/db")).Status);
        Assert.Equal(PostureStatus.Pass, secrets.Single(r => r.Resource.EndsWith("/api")).Status);
        var rotation = Run(vault, "azure-keyvault-key-rotation");
        Assert.Equal(PostureStatus.Pass, rotation.Single(r => r.Resource.EndsWith("/k1")).Status);
        Assert.Equal(PostureStatus.Manual, rotation.Single(r => r.Resource.EndsWith("/k2")).Status);
        // Az PowerShell shape (flat properties), no item lists exported.
        var az = """{"VaultName":"kv2","ResourceId":"/subscriptions/0/x/kv2","EnableSoftDelete":true,"EnablePurgeProtection":true,"EnableRbacAuthorization":true,"PublicNetworkAccess":"Disabled"}""";
        Assert.Equal(PostureStatus.Pass, Run(az, "azure-keyvault-purge-protection").Single().Status);
        Assert.Equal(PostureStatus.Pass, Run(az, "azure-keyvault-public-network").Single().Status);
        Assert.Equal(PostureStatus.Manual, Run(az, "azure-keyvault-secret-expiry").Single().Status);
    }

    [Fact]
    public void Secrets_manager_checks_read_list_secrets_output()
    {
        var json = """
            {"SecretList":[
              {"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:rotated-AbC","Name":"rotated","RotationEnabled":true,"RotationRules":{"AutomaticallyAfterDays":30},
               "LastRotatedDate":"2024-04-20T00:00:00Z","LastAccessedDate":"2024-04-30T00:00:00Z","CreatedDate":"2023-01-01T00:00:00Z","ResourcePolicy":null},
              {"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:late-XyZ","Name":"late","RotationEnabled":true,"RotationRules":{"ScheduleExpression":"rate(10 days)"},
               "LastRotatedDate":1704067200,"LastAccessedDate":"2023-06-01T00:00:00Z","CreatedDate":"2023-01-01T00:00:00Z",
               "ResourcePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"},
              {"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:plain-Def","Name":"plain","CreatedDate":"2024-04-01T00:00:00Z"}
            ]}
            """;
        var enabled = Run(json, "aws-secretsmanager-rotation-enabled");
        Assert.Equal([PostureStatus.Pass, PostureStatus.Pass, PostureStatus.Fail], enabled.Select(r => r.Status));
        var schedule = Run(json, "aws-secretsmanager-rotated-on-schedule");
        Assert.Equal([PostureStatus.Pass, PostureStatus.Fail], schedule.Select(r => r.Status));
        var unused = Run(json, "aws-secretsmanager-unused");
        Assert.Equal([PostureStatus.Pass, PostureStatus.Fail, PostureStatus.Pass], unused.Select(r => r.Status));
        var policy = Run(json, "aws-secretsmanager-policy-public");
        Assert.Equal([PostureStatus.Pass, PostureStatus.Fail, PostureStatus.Manual], policy.Select(r => r.Status));
    }

    [Fact]
    public void Kms_rotation_only_for_enabled_customer_symmetric_keys()
    {
        var json = """
            [{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:us-east-1:1:key/k1","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","Origin":"AWS_KMS"},"KeyRotationEnabled":false},
             {"KeyMetadata":{"KeyId":"k2","Arn":"arn:aws:kms:us-east-1:1:key/k2","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","Origin":"AWS_KMS"},"KeyRotationEnabled":true},
             {"KeyMetadata":{"KeyId":"k3","Arn":"arn:aws:kms:us-east-1:1:key/k3","KeyManager":"AWS","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled"}},
             {"KeyMetadata":{"KeyId":"k4","Arn":"arn:aws:kms:us-east-1:1:key/k4","KeyManager":"CUSTOMER","KeySpec":"RSA_2048","KeyState":"Enabled"}},
             {"KeyMetadata":{"KeyId":"k5","Arn":"arn:aws:kms:us-east-1:1:key/k5","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled"}}]
            """;
        var results = Run(json, "aws-kms-key-rotation");
        Assert.Equal([PostureStatus.Fail, PostureStatus.Pass, PostureStatus.Manual], results.Select(r => r.Status));
        Assert.EndsWith("key/k5", results[2].Resource);
    }
}
