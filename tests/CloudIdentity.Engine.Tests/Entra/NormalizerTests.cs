using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;
using CloudIdentity.Engine.Sources.Azure;
using CloudIdentity.Engine.Sources.Entra;

namespace CloudIdentity.Engine.Tests.Entra;

public class NormalizerTests
{
    internal static List<CloudIdEvent> Read(string json, string origin = "test", string? source = null)
    {
        var items = new EventReader(new ReadOptions { Source = source }).ReadText(json, origin).ToList();
        var problems = items.Where(i => i.Problem is not null).Select(i => i.Problem!.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return items.Where(i => i.Event is not null).Select(i => i.Event!).ToList();
    }

    // BR-07: storage JSON lines vs REST value[]: one vocabulary, case-insensitive operation and resource id.
    private const string Br07Lines =
        """{"time":"2024-05-01T10:00:00.1234567Z","resourceId":"/SUBSCRIPTIONS/00000000-0000-0000-0000-0000000000AA/RESOURCEGROUPS/RG-PH/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PH","operationName":"MICROSOFT.KEYVAULT/VAULTS/WRITE","category":"Administrative","resultType":"Start","correlationId":"c0000000-0000-0000-0000-000000000001","callerIpAddress":"203.0.113.10","properties":{}}""" + "\n" +
        """{"time":"2024-05-01T10:00:02.0000000Z","resourceId":"/SUBSCRIPTIONS/00000000-0000-0000-0000-0000000000AA/RESOURCEGROUPS/RG-PH/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PH","operationName":"MICROSOFT.KEYVAULT/VAULTS/WRITE","category":"Administrative","resultType":"Success","correlationId":"c0000000-0000-0000-0000-000000000001","callerIpAddress":"203.0.113.10","properties":{"statusCode":"OK"}}""" + "\n";

    private const string Br07Rest =
        """
        {"value":[{"eventTimestamp":"2024-05-01T10:00:02Z","correlationId":"c0000000-0000-0000-0000-000000000001",
          "resourceId":"/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-ph/providers/Microsoft.KeyVault/vaults/kv-ph",
          "operationName":{"value":"Microsoft.KeyVault/vaults/write","localizedValue":"Update key vault"},
          "category":{"value":"Administrative"},"status":{"value":"Succeeded"},"caller":"user@example.invalid"}]}
        """;

    [Fact]
    public void BR07_StorageLinesAndRestShapeNormalizeToTheSameFields()
    {
        var lines = Read(Br07Lines, "PT1H.json");
        var rest = Read(Br07Rest, "rest");
        Assert.Equal(2, lines.Count);
        Assert.Single(rest);
        var all = lines.Concat(rest).ToList();
        Assert.All(all, e =>
        {
            Assert.Equal("azure/activitylogs", e.LogSource);
            Assert.Equal("Administrative", e.EventType);
            Assert.Equal("microsoft.keyvault/vaults/write", e.Operation);
            Assert.Equal("/subscriptions/00000000-0000-0000-0000-0000000000aa/resourcegroups/rg-ph/providers/microsoft.keyvault/vaults/kv-ph", e.ResourceId);
            Assert.Equal("00000000-0000-0000-0000-0000000000aa", e.AccountId);
        });
        Assert.Single(all.Select(e => e.ResourceId).Distinct(StringComparer.Ordinal));
        Assert.Equal(["Started", "Succeeded", "Succeeded"], all.Select(e => e.Status));
        Assert.Equal([EventOutcome.Unknown, EventOutcome.Success, EventOutcome.Success], all.Select(e => e.Outcome));
        Assert.Equal(["diagnostic", "diagnostic", "rest"], all.Select(e => e.ApiVersion));
        var final = ActivityStatus.FinalStatusByCorrelation(all);
        Assert.Single(final);
        Assert.Equal("Succeeded", final["c0000000-0000-0000-0000-000000000001"]);
        // The raw per-phase records are kept.
        Assert.Equal("Start", lines[0].Raw["resultType"]);
        Assert.Equal("user@example.invalid", rest[0].ActorUserName);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), lines[0].Time);
    }

    [Theory]
    [InlineData("start", "Started")]
    [InlineData("Started", "Started")]
    [InlineData("SUCCESS", "Succeeded")]
    [InlineData("Succeeded", "Succeeded")]
    [InlineData("Accept", "Accepted")]
    [InlineData("accepted", "Accepted")]
    [InlineData("Failure", "Failed")]
    [InlineData("FAILED", "Failed")]
    [InlineData("Active", "Active")]
    [InlineData("SomethingNew", "SomethingNew")]
    public void BR07_StatusVocabulariesMapOntoOneSet(string raw, string expected) =>
        Assert.Equal(expected, ActivityStatus.Normalize(raw));

    [Theory]
    [InlineData("Write", "Administrative")]
    [InlineData("delete", "Administrative")]
    [InlineData("Action", "Administrative")]
    [InlineData("Administrative", "Administrative")]
    [InlineData("Policy", "Policy")]
    public void BR07_CategoriesMapOntoTheRestVocabulary(string raw, string expected) =>
        Assert.Equal(expected, ActivityStatus.Category(raw));

    [Fact]
    public void BR07_OperationNameAsStringOrObject()
    {
        var events = Read("""
            {"value":[
             {"eventTimestamp":"2024-05-01T10:00:00Z","resourceId":"/subscriptions/s1/x","operationName":"Microsoft.Storage/storageAccounts/write","status":"Failed","category":"Administrative","subStatus":{"value":"Forbidden"}},
             {"eventTimestamp":"2024-05-01T10:00:00Z","resourceId":"/subscriptions/s1/x","operationName":{"value":"MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE"},"status":{"value":"Failed"},"category":{"value":"Administrative"}}]}
            """);
        Assert.All(events, e => Assert.Equal("microsoft.storage/storageaccounts/write", e.Operation));
        Assert.All(events, e => Assert.Equal(EventOutcome.Failure, e.Outcome));
        Assert.Equal("Forbidden", events[0].ErrorCode);
    }

    // BR-11: v1.0 vs beta sign-ins.
    [Fact]
    public void BR11_EachRecordCarriesItsApiVersionAndMissingPropertiesAreUnknown()
    {
        var v1 = Read("""{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[{"id":"a","userPrincipalName":"user@example.invalid","createdDateTime":"2024-04-30T09:00:00Z","isInteractive":true}]}""");
        var beta = Read("""{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[{"id":"b","userPrincipalName":"user@example.invalid","createdDateTime":"2024-04-30T09:05:00Z","isInteractive":false,"signInEventTypes":["nonInteractiveUser"],"authenticationRequirement":"singleFactorAuthentication"}]}""");
        var a = Assert.Single(v1);
        var b = Assert.Single(beta);
        Assert.Equal("azure/signinlogs", a.LogSource);
        Assert.Equal("v1.0", a.ApiVersion);
        Assert.Equal("beta", b.ApiVersion);
        Assert.Equal(SignInEventTypes.Interactive, a.EventType);
        Assert.Equal(SignInEventTypes.NonInteractive, b.EventType);
        Assert.Null(a.MfaAuthenticated);                 // authenticationRequirement missing: unknown
        Assert.Null(a.Raw["signInEventTypes"]);          // not an error, not an empty array
        Assert.False(b.MfaAuthenticated);
        Assert.Equal(new DateTimeOffset(2024, 4, 30, 9, 5, 0, TimeSpan.Zero), b.Time);
    }

    [Fact]
    public void BR11_LastActivityIsTheLaterOfInteractiveAndNonInteractive()
    {
        using var user = JsonDocument.Parse("""{"signInActivity":{"lastSignInDateTime":"2024-01-02T00:00:00Z","lastNonInteractiveSignInDateTime":"2024-04-30T09:05:00Z"}}""");
        var last = SignInActivity.LastActivity(user.RootElement);
        Assert.Equal(new DateTimeOffset(2024, 4, 30, 9, 5, 0, TimeSpan.Zero), last);
        var checkedOn = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(checkedOn - last > TimeSpan.FromDays(90)); // not inactive for a 90-day rule
        using var never = JsonDocument.Parse("""{"signInActivity":{}}""");
        Assert.Null(SignInActivity.LastActivity(never.RootElement));
    }

    // BR-12: timestamps parsed by the module, UTC, 100 ns kept, raw string kept.
    [Fact]
    public void BR12_TimestampsBecomeTheSameUtcInstant()
    {
        var events = Read("""
            {"value":[{"id":"s1","createdDateTime":"2024-03-01T10:15:30Z","userPrincipalName":"u@example.invalid","status":{"errorCode":0}},
                      {"id":"s2","createdDateTime":"2024-03-01T10:15:30.1234567Z","userPrincipalName":"u@example.invalid","status":{"errorCode":0}},
                      {"id":"s3","createdDateTime":"2024-03-01T12:15:30+02:00","userPrincipalName":"u@example.invalid","status":{"errorCode":0}}]}
            """);
        var expected = new DateTimeOffset(2024, 3, 1, 10, 15, 30, TimeSpan.Zero);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.Time!.Value.Offset));
        Assert.Equal(expected, events[0].Time);
        Assert.Equal(expected.AddTicks(1234567), events[1].Time);
        Assert.Equal(events[0].Time, events[2].Time);
        Assert.Equal("2024-03-01T12:15:30+02:00", events[2].Raw["createdDateTime"]);
        Assert.Equal("2024-03-01T10:15:30.1234567Z", events[1].Time!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EntraAuditFromGraphIsNormalized()
    {
        var e = Assert.Single(Read("""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits","value":[{"id":"x1","category":"RoleManagement","correlationId":"c1","result":"failure","resultReason":"denied",
             "activityDisplayName":"Add member to role","activityDateTime":"2024-05-01T10:00:00Z","loggedByService":"Core Directory",
             "initiatedBy":{"user":null,"app":{"appId":"a1","displayName":"Deployer","servicePrincipalId":"sp1","servicePrincipalName":null}},
             "targetResources":[{"id":"t1","type":"User"}],"additionalDetails":[{"key":"User-Agent","value":"ua/1"}]}]}
            """));
        Assert.Equal("azure/auditlogs", e.LogSource);
        Assert.Equal("Add member to role", e.Operation);
        Assert.Equal("RoleManagement", e.EventType);
        Assert.Equal("Application", e.ActorType);
        Assert.Equal("Deployer", e.ActorUserName);
        Assert.Equal("sp1", e.ActorPrincipalId);
        Assert.Equal(EventOutcome.Failure, e.Outcome);
        Assert.Equal("denied", e.ErrorMessage);
        Assert.Equal("ua/1", e.UserAgent);
        Assert.Equal("t1", e.ResourceId);
        Assert.Equal("v1.0", e.ApiVersion);
    }

    [Theory]
    [InlineData("EntraSignIn", "azure/signinlogs")]
    [InlineData("EntraAudit", "azure/auditlogs")]
    [InlineData("AzureActivity", "azure/activitylogs")]
    public void NewSourcesAreInTheCatalog(string name, string logSource) =>
        Assert.Equal(logSource, NormalizerCatalog.Find(name)!.LogSource);
}
