using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Tests.Entra;

/// <summary>The Entra and Azure Activity samples of the shared corpus, read with source detection.</summary>
public class CorpusReadTests
{
    public static TheoryData<string, string, int, int> Files => new()
    {
        // file, expected log source of every event, events, problems
        { "entra/elastic/test-signinlogs-raw.log", "azure/signinlogs", 5, 0 },
        { "entra/elastic/test-activitylogs-identity.log", "azure/signinlogs", 1, 0 },
        { "entra/elastic/test-auditlogs-raw.log", "azure/auditlogs", 3, 0 },
        { "entra/graph/beta_signIns_list_example1.json", "azure/signinlogs", 1, 0 },
        { "entra/graph/v1.0_signIns_list_example1_TRAILING_COMMA.json", "azure/signinlogs", 1, 0 },
        { "entra/graph/v1.0_directoryAudits_list_example1.json", "azure/auditlogs", 1, 0 },
        { "entra/graph/v1.0_directoryAudits_list_example2.json", "azure/auditlogs", 1, 0 },
        { "entra/otrf/AADAuditEvents.json", "azure/auditlogs", 4, 0 },
        { "azure-activity/msdocs/administrative_rest_api_sample.json", "azure/activitylogs", 1, 0 },
        { "azure-activity/msdocs/storage_account_records_sample.json", "azure/activitylogs", 1, 0 },
        { "azure-activity/elastic/test-activitylogs-raw.log", "azure/activitylogs", 3, 0 },
        // Identity Protection risk events are not a supported source: each record is reported, none is guessed.
        { "entra/elastic/test-userriskevents-raw.log", "", 0, 2 },
    };

    [CorpusTheory]
    [MemberData(nameof(Files))]
    public void CorpusFileIsReadWithItsSource(string file, string logSource, int events, int problems)
    {
        var items = new EventReader(new ReadOptions()).ReadFile(Corpus.Path(file)).ToList();
        var read = items.Where(i => i.Event is not null).Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        Assert.Equal(events, read.Count);
        Assert.Equal(problems, items.Count(i => i.Problem is not null));
        Assert.All(read, e => Assert.Equal(logSource, e.LogSource));
        Assert.All(read, e => Assert.NotNull(e.Time));
        Assert.All(read, e => Assert.Equal("Azure", e.Cloud));
    }

    [CorpusFact]
    public void MixedExportFileGoesToTwoSources()
    {
        var read = new EventReader(new ReadOptions()).ReadFile(Corpus.Path("azure-activity/elastic/test-activitylogs-edgecases.log"))
            .Where(i => i.Event is not null).Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        Assert.Equal(["azure/activitylogs", "azure/signinlogs", "azure/signinlogs"], read.Select(e => e.LogSource));
        Assert.Equal("2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6", read[1].SourceIp);
    }

    [CorpusFact]
    public void DiagnosticSignInCategoriesGiveTheFourEventTypes()
    {
        var read = new EventReader(new ReadOptions()).ReadFile(Corpus.Path("entra/elastic/test-signinlogs-raw.log"))
            .Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        Assert.Equal(["interactive", "nonInteractive", "servicePrincipal", "servicePrincipal", "managedIdentity"], read.Select(e => e.EventType));
        Assert.Equal(["User", "User", "ServicePrincipal", "ServicePrincipal", "ManagedIdentity"], read.Select(e => e.ActorType));
        Assert.All(read, e => Assert.Equal(EventOutcome.Failure, e.Outcome));
        Assert.All(read, e => Assert.Equal("50140", e.ErrorCode));
        // createdDateTime carries -05:00; the instant is the same as the envelope's time.
        Assert.All(read, e => Assert.Equal(new DateTimeOffset(2019, 10, 18, 9, 45, 48, TimeSpan.Zero).AddTicks(729893), e.Time));
    }

    [CorpusFact]
    public void LogAnalyticsAuditRowsDecodeNestedJsonStrings()
    {
        var read = new EventReader(new ReadOptions()).ReadFile(Corpus.Path("entra/otrf/AADAuditEvents.json")).Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        Assert.All(read, e => Assert.Equal("pgustavo@example.com", e.ActorUserName));
        Assert.All(read, e => Assert.Equal("loganalytics", e.ApiVersion));
        Assert.Equal("Add delegated permission grant", read[3].Operation);
        Assert.Equal("11b49e19-2326-4be6-93cb-7f37439bbd81", read[0].ResourceId);
    }

    [CorpusFact]
    public void AzureTimeFormatsAllParseToTheSameInstantWhenTheSourceIsForced()
    {
        var items = new EventReader(new ReadOptions { Source = "AzureActivity" })
            .ReadFile(Corpus.Path("azure-activity/elastic/test-time-formats-corner-cases.log")).ToList();
        var events = items.Where(i => i.Event is not null).Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        Assert.Equal(11, events.Count);
        var expected = new DateTimeOffset(2007, 1, 9, 9, 41, 0, TimeSpan.Zero);
        Assert.All(events, e => Assert.Equal(expected, e.Time!.Value.AddTicks(-(e.Time.Value.Ticks % TimeSpan.TicksPerSecond))));
        Assert.Equal(expected.AddTicks(5354040), events[8].Time); // nanoseconds cut to 100 ns
    }

    [CorpusTheory]
    [InlineData("entra/panther/panther_entra_test_events.jsonl", 32, 20, 12, 0)]
    [InlineData("azure-activity/panther/panther_azure_activity_test_events.jsonl", 148, 0, 0, 148)]
    public void PantherSampleEventsAllNormalize(string file, int expected, int signIns, int audits, int activity)
    {
        int events = 0;
        var bySource = new Dictionary<string, int>();
        foreach (var line in File.ReadLines(Corpus.Path(file)))
        {
            using var doc = JsonDocument.Parse(line);
            var log = doc.RootElement.GetProperty("log").GetRawText();
            foreach (var item in new EventReader(new ReadOptions()).ReadText(log, file))
            {
                Assert.True(item.Problem is null, item.Problem?.ToString());
                if (item.Event is { } e) { events++; bySource[e.LogSource] = bySource.GetValueOrDefault(e.LogSource) + 1; }
            }
        }
        Assert.Equal(expected, events);
        Assert.Equal(signIns, bySource.GetValueOrDefault("azure/signinlogs"));
        Assert.Equal(audits, bySource.GetValueOrDefault("azure/auditlogs"));
        Assert.Equal(activity, bySource.GetValueOrDefault("azure/activitylogs"));
    }
}
