using System.Text.Json;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Tests.Reading;

public class CloudTrailShapesTests
{
    [Fact]
    public void RecordsFileIsNormalized()
    {
        var o = ReadOutcome.Text(Samples.RecordsFile(Samples.Record("e1"), Samples.Record("e2", "CreateUser")));
        Assert.Empty(o.Errors);
        Assert.Equal(["e1", "e2"], o.Events.Select(e => e.EventId));
        var e = o.Events[0];
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 5, TimeSpan.Zero), e.Time);
        Assert.Equal(TimeSpan.Zero, e.Time!.Value.Offset);
        Assert.Equal("AWS", e.Cloud);
        Assert.Equal("aws/cloudtrail", e.LogSource);
        Assert.Equal("111111111111", e.AccountId);
        Assert.Equal("us-east-1", e.Region);
        Assert.Equal("IAMUser", e.ActorType);
        Assert.Equal("arn:aws:iam::111111111111:user/alice", e.ActorArn);
        Assert.Equal("alice", e.ActorUserName);
        Assert.Equal("AKIAEXAMPLEKEY", e.AccessKeyId);
        Assert.Equal("198.51.100.7", e.SourceIp);
        Assert.Equal("aws-cli/2.15", e.UserAgent);
        Assert.Equal("iam.amazonaws.com", e.Service);
        Assert.Equal("AttachUserPolicy", e.Operation);
        Assert.Equal(EventOutcome.Success, e.Outcome);
        Assert.Equal(OcsfClass.ApiActivity, e.ClassUid);
        Assert.False(e.ReadOnly);
        Assert.Equal("arn:aws:iam::aws:policy/AdministratorAccess", e.Raw.GetString("requestParameters.policyArn"));
        Assert.Equal(0, e.RecordIndex);
        Assert.Equal(1, o.Events[1].RecordIndex);
    }

    [Fact]
    public void GzipJsonLinesAndBareArraysGiveTheSameEvents()
    {
        var records = new[] { Samples.Record("a"), Samples.Record("b"), Samples.Record("c") };
        var gz = ReadOutcome.Bytes(ReadOutcome.Gzip(Samples.RecordsFile(records)));
        var lines = ReadOutcome.Text(string.Join("\n", records) + "\n");
        var array = ReadOutcome.Text("[" + string.Join(",\n", records) + "]");
        foreach (var o in new[] { gz, lines, array })
        {
            Assert.Empty(o.Errors);
            Assert.Equal(["a", "b", "c"], o.Events.Select(e => e.EventId));
        }
    }

    [Fact]
    public void RecordsLargerThanTheReadBufferAreRead()
    {
        var big = new string('x', 300_000);
        var record = Samples.Record("big").Replace("\"aws-cli/2.15\"", $"\"{big}\"");
        var o = ReadOutcome.Bytes(ReadOutcome.Gzip(Samples.RecordsFile(Samples.Record("first"), record, Samples.Record("last"))));
        Assert.Empty(o.Errors);
        Assert.Equal(["first", "big", "last"], o.Events.Select(e => e.EventId));
        Assert.Equal(300_000, o.Events[1].UserAgent!.Length);
    }

    // BR-02: LookupEvents / Find-CTEvent envelopes carry the record as a JSON string.
    private const string LookupEnvelope = """
        {"Events":[{"EventId":"ev-0001","EventName":"","ReadOnly":"false","EventTime":"2024-05-01T10:00:05Z",
          "Resources":[],
          "CloudTrailEvent":"{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"111111111111\",\"userName\":\"user-placeholder\"},\"eventTime\":\"2024-05-01T10:00:05Z\",\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100.7\",\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"Success\"},\"additionalEventData\":{\"MFAUsed\":\"No\"},\"eventID\":\"ev-0001\",\"eventType\":\"AwsConsoleSignIn\",\"recipientAccountId\":\"111111111111\"}"}],
         "NextToken":null}
        """;

    [Fact]
    public void BR02_LookupEventsRecordIsDecodedExactlyOnce()
    {
        var o = ReadOutcome.Text(LookupEnvelope);
        Assert.Empty(o.Errors);
        Assert.Empty(o.Warnings);
        var e = Assert.Single(o.Events);
        Assert.Equal("ev-0001", e.EventId);
        Assert.Equal("ConsoleLogin", e.Operation); // the empty envelope EventName does not overwrite it
        Assert.Equal("user-placeholder", e.ActorUserName);
        Assert.Equal("Success", e.Raw.GetString("responseElements.ConsoleLogin"));
        Assert.Equal(JsonValueKind.Object, e.Raw.Element.GetProperty("responseElements").ValueKind); // not left as a string
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 5, TimeSpan.Zero), e.Time);
        Assert.Equal(EventOutcome.Success, e.Outcome);
        Assert.False(e.MfaAuthenticated);
        Assert.Equal(OcsfClass.Authentication, e.ClassUid);

        // The same record from an S3 Records file normalizes to the same values and raw document.
        var inner = JsonDocument.Parse(LookupEnvelope).RootElement.GetProperty("Events")[0].GetProperty("CloudTrailEvent").GetString()!;
        var s3 = Assert.Single(ReadOutcome.Text(Samples.RecordsFile(inner)).Events);
        Assert.Equal(s3.Raw.ToJson(), e.Raw.ToJson());
        Assert.Equal((s3.EventId, s3.Operation, s3.ActorUserName, s3.Time, s3.SourceIp), (e.EventId, e.Operation, e.ActorUserName, e.Time, e.SourceIp));
    }

    [Fact]
    public void BR02_MalformedCloudTrailEventWarnsWithEventIdAndKeepsEnvelope()
    {
        const string json = """{"Events":[{"EventId":"ev-0009","EventName":"ConsoleLogin","EventTime":"2024-05-01T10:00:05Z","Username":"carol","CloudTrailEvent":"{\"eventVersion\": broken"}],"NextToken":null}""";
        var o = ReadOutcome.Text(json);
        Assert.True(o.Warnings.Count == 1, string.Join(" | ", o.Errors.Concat(o.Warnings).Select(p => p.ToString())) + " notes: " + string.Join(" | ", o.Notes));
        var warning = Assert.Single(o.Warnings);
        Assert.Contains("ev-0009", warning.Message);
        Assert.Equal("CloudTrailEventMalformed", warning.ErrorId);
        var e = Assert.Single(o.Events);
        Assert.Equal("ev-0009", e.EventId);
        Assert.Equal("ConsoleLogin", e.Operation);
        Assert.Equal("carol", e.ActorUserName);
    }

    [Fact]
    public void CloudWatchSubscriptionMessagesAreDecoded()
    {
        var message = JsonSerializer.Serialize(Samples.Record("cw-1"));
        var json = $$"""{"messageType":"DATA_MESSAGE","owner":"111111111111","logGroup":"aws-cloudtrail-logs","logStream":"111111111111_CloudTrail_us-east-1","subscriptionFilters":["all"],"logEvents":[{"id":"1","timestamp":1714557605000,"message":{{message}}}]}""";
        var o = ReadOutcome.Bytes(ReadOutcome.Gzip(json));
        Assert.Empty(o.Errors);
        Assert.Equal("cw-1", Assert.Single(o.Events).EventId);

        var control = """{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1714557605000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}""";
        var c = ReadOutcome.Text(control);
        Assert.Empty(c.Events);
        Assert.Empty(c.Errors);
    }

    [Fact]
    public void CloudTrailLakeRowsAreMergedIntoRecords()
    {
        const string json = """{"QueryStatus":"FINISHED","QueryResultRows":[[{"eventID":"lake-1"},{"eventName":"CreateBucket"},{"eventSource":"s3.amazonaws.com"},{"eventTime":"2023-01-22 14:30:01.000"}]]}""";
        var o = ReadOutcome.Text(json);
        Assert.Empty(o.Errors);
        var e = Assert.Single(o.Events);
        Assert.Equal("lake-1", e.EventId);
        Assert.Equal("CreateBucket", e.Operation);
        Assert.Equal(new DateTimeOffset(2023, 1, 22, 14, 30, 1, TimeSpan.Zero), e.Time);
    }

    [Fact]
    public void TimeWindowFilters()
    {
        var file = Samples.RecordsFile(Samples.Record("early", time: "2024-05-01T09:00:00Z"), Samples.Record("inside", time: "2024-05-01T10:00:00Z"), Samples.Record("late", time: "2024-05-01T11:00:00Z"));
        var o = ReadOutcome.Text(file, new ReadOptions { StartTime = new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.Zero), EndTime = new DateTimeOffset(2024, 5, 1, 10, 30, 0, TimeSpan.Zero) });
        Assert.Equal(["inside"], o.Events.Select(e => e.EventId));
    }

    [Theory]
    [InlineData("2024-03-01T10:15:30Z", "2024-03-01T10:15:30.0000000+00:00")]
    [InlineData("2024-03-01T10:15:30.1234567Z", "2024-03-01T10:15:30.1234567+00:00")]
    [InlineData("2024-03-01T12:15:30+02:00", "2024-03-01T10:15:30.0000000+00:00")]
    [InlineData("2023-01-22 14:30:01.000", "2023-01-22T14:30:01.0000000+00:00")]
    [InlineData("2025-01-01T00:00:00.123456789Z", "2025-01-01T00:00:00.1234567+00:00")]
    [InlineData("1714557600", "2024-05-01T10:00:00.0000000+00:00")]
    [InlineData("1714557600123", "2024-05-01T10:00:00.1230000+00:00")]
    public void TimestampsAreUtcWhateverTheInputForm(string text, string expected)
    {
        Assert.Equal(expected, Timestamps.Parse(text)!.Value.ToString("O"));
    }
}
