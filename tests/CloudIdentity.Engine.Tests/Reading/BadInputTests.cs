using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Tests.Reading;

/// <summary>Bad input gives a problem naming the input and record, and reading goes on.</summary>
public class BadInputTests
{
    // BR-01: digest files sit beside log files.
    private const string Digest = """
        {"awsAccountId":"111111111111","digestStartTime":"2024-05-01T10:00:00Z","digestEndTime":"2024-05-01T11:00:00Z",
         "digestS3Bucket":"bucket-ph","digestS3Object":"AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2024/05/01/x.json.gz",
         "previousDigestS3Bucket":"bucket-ph","previousDigestS3Object":"AWSLogs/.../prev.json.gz",
         "previousDigestHashValue":"00ff","previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":"00ff",
         "logFiles":[{"s3Bucket":"bucket-ph","s3Object":"AWSLogs/111111111111/CloudTrail/us-east-1/2024/05/01/111111111111_CloudTrail_us-east-1_20240501T1000Z_aaaa.json.gz",
                      "hashValue":"00ff","hashAlgorithm":"SHA-256","newestEventTime":"2024-05-01T10:04:00Z","oldestEventTime":"2024-05-01T10:00:00Z"}]}
        """;

    [Fact]
    public void BR01_DigestContentYieldsNoEventsAndNoErrors()
    {
        var o = ReadOutcome.Bytes(ReadOutcome.Gzip(Digest));
        Assert.Empty(o.Events);
        Assert.Empty(o.Errors);
        Assert.Empty(o.Warnings);
        Assert.Contains(o.Notes, n => n.Contains("digest"));
    }

    [Fact]
    public void BR01_DigestPathAndEmptyRecordsFileInOnePrefix()
    {
        var root = Directory.CreateTempSubdirectory("cloudid-br01-").FullName;
        try
        {
            var logDir = Path.Combine(root, "AWSLogs/111111111111/CloudTrail/us-east-1/2024/05/01");
            var digestDir = Path.Combine(root, "AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2024/05/01");
            Directory.CreateDirectory(logDir);
            Directory.CreateDirectory(digestDir);
            var log = Path.Combine(logDir, "111111111111_CloudTrail_us-east-1_20240501T1000Z_aaaa.json.gz");
            var digest = Path.Combine(digestDir, "111111111111_CloudTrail-Digest_us-east-1_trail-ph_us-east-1_20240501T110000Z.json.gz");
            File.WriteAllBytes(log, ReadOutcome.Gzip("{\"Records\":[]}"));
            File.WriteAllBytes(digest, ReadOutcome.Gzip(Digest));
            foreach (var file in new[] { log, digest })
            {
                var o = ReadOutcome.File(file);
                Assert.Empty(o.Events);
                Assert.Empty(o.Errors);
                Assert.Empty(o.Warnings);
            }
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void MalformedRecordInsideRecordsKeepsEarlierRecordsAndNamesTheRecord()
    {
        var text = "{\"Records\":[" + Samples.Record("ok-1") + "," + Samples.Record("ok-2") + ",{\"eventVersion\": nope}]}";
        var o = ReadOutcome.Text(text);
        Assert.Equal(["ok-1", "ok-2"], o.Events.Select(e => e.EventId));
        var error = Assert.Single(o.Errors);
        Assert.Equal("LogRecordMalformed", error.ErrorId);
        Assert.Equal(2, error.RecordIndex);
        Assert.Equal("test-input", error.Origin);
    }

    [Fact]
    public void MalformedJsonLineIsReportedAndLaterLinesAreRead()
    {
        var text = Samples.Record("l1") + "\n{\"eventVersion\": broken\n" + Samples.Record("l3") + "\n";
        var o = ReadOutcome.Text(text);
        Assert.Equal(["l1", "l3"], o.Events.Select(e => e.EventId));
        var error = Assert.Single(o.Errors);
        Assert.Equal("LogRecordMalformed", error.ErrorId);
        Assert.Equal(1, error.RecordIndex);
    }

    [Fact]
    public void TruncatedGzipIsAnErrorAndEarlierRecordsSurvive()
    {
        var records = Enumerable.Range(0, 2000).Select(i => Samples.Record($"t{i}")).ToArray();
        var gz = ReadOutcome.Gzip(Samples.RecordsFile(records));
        var truncated = gz[..(gz.Length / 2)];
        var o = ReadOutcome.Bytes(truncated);
        Assert.NotEmpty(o.Events);
        Assert.True(o.Events.Count < 2000);
        var error = Assert.Single(o.Errors);
        Assert.Contains(error.ErrorId, new[] { "LogFileTruncated", "LogFileCorrupt" });
    }

    [Fact]
    public void CorruptGzipIsAnError()
    {
        var gz = ReadOutcome.Gzip(Samples.RecordsFile(Samples.Record("x")));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0x5a;
        var o = ReadOutcome.Bytes(gz);
        Assert.NotEmpty(o.Errors);
        Assert.Empty(o.Events);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void EmptyInputIsAnError(string text)
    {
        var o = ReadOutcome.Text(text);
        Assert.Empty(o.Events);
        Assert.Equal("LogFileEmpty", Assert.Single(o.Errors).ErrorId);
    }

    [Fact]
    public void EmptyRecordsArrayIsValidWithZeroEvents()
    {
        var o = ReadOutcome.Text("{\"Records\":[]}");
        Assert.Empty(o.Events);
        Assert.Empty(o.Errors);
    }

    [Fact]
    public void JsonThatIsNotCloudTrailIsUnrecognized()
    {
        var o = ReadOutcome.Text("{\"name\":\"not a log\",\"items\":[1,2,3]}");
        Assert.Empty(o.Events);
        Assert.Equal("LogRecordUnrecognized", Assert.Single(o.Errors).ErrorId);
    }

    [Fact]
    public void ManyUnrecognizedRecordsAreCountedNotDropped()
    {
        var text = string.Join("\n", Enumerable.Range(0, 10).Select(i => $"{{\"n\":{i}}}"));
        var o = ReadOutcome.Text(text);
        Assert.Equal(EventReader.MaxReportedPerProblem + 1, o.Errors.Count);
        Assert.Contains("10 record(s)", o.Errors[^1].Message);
        Assert.Null(o.Errors[^1].RecordIndex);
    }

    [Fact]
    public void ManyMalformedLinesAreCountedNotFlooded()
    {
        // A file of one number per line: every line is a malformed record (found by a new-user trial: 200,000 errors).
        var text = string.Join("\n", Enumerable.Range(0, 5000).Select(i => i.ToString()));
        var o = ReadOutcome.Text(text);
        Assert.Empty(o.Events);
        Assert.Equal(EventReader.MaxReportedPerProblem + 1, o.Errors.Count);
        Assert.All(o.Errors, e => Assert.Equal("LogRecordMalformed", e.ErrorId));
        Assert.Contains("5000 record(s) in all", o.Errors[^1].Message);
    }

    [Fact]
    public void WrongTypesInRecordsAreErrorsPerRecord()
    {
        var o = ReadOutcome.Text("{\"Records\":[42, " + Samples.Record("fine") + ", \"not json\"]}");
        Assert.Equal(["fine"], o.Events.Select(e => e.EventId));
        Assert.Equal(2, o.Errors.Count);
        Assert.Equal([0L, 2L], o.Errors.Select(e => e.RecordIndex!.Value));
    }

    [Fact]
    public void OversizedRecordIsReportedNotLoaded()
    {
        var huge = Samples.Record("huge").Replace("\"aws-cli/2.15\"", $"\"{new string('y', 2_000_000)}\"");
        var reader = new EventReader(new ReadOptions { MaxRecordBytes = 1024 * 1024 });
        var o = ReadOutcome.Of(reader.ReadText(Samples.RecordsFile(Samples.Record("before"), huge), "big-input").ToList());
        Assert.Equal(["before"], o.Events.Select(e => e.EventId));
        Assert.Contains(o.Errors, e => e.Message.Contains("larger than"));
    }

    [Fact]
    public void WrongFieldTypesDoNotCrashNormalization()
    {
        var odd = """{"eventVersion":1.08,"eventSource":"iam.amazonaws.com","eventName":["x"],"awsRegion":7,"eventTime":12,"userIdentity":"nope","errorCode":{"a":1}}""";
        var o = ReadOutcome.Text(odd);
        Assert.Empty(o.Errors);
        var e = Assert.Single(o.Events);
        Assert.Null(e.ActorArn);
        Assert.Equal("7", e.Region);
    }

    [Theory]
    [InlineData("utf-16le-bom")]
    [InlineData("utf-16be-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-32le-bom")]
    [InlineData("utf-8-bom")]
    public void Utf16AndUtf32FilesAreDecoded(string encodingName)
    {
        // Windows PowerShell's '>' and Out-File write UTF-16LE with a BOM (found by a new-user trial).
        var text = Samples.RecordsFile(Samples.Record("enc-1"), Samples.Record("enc-2"));
        System.Text.Encoding encoding = encodingName switch
        {
            "utf-16le-bom" => new System.Text.UnicodeEncoding(false, true),
            "utf-16be-bom" => new System.Text.UnicodeEncoding(true, true),
            "utf-16le" => new System.Text.UnicodeEncoding(false, false),
            "utf-32le-bom" => new System.Text.UTF32Encoding(false, true),
            _ => new System.Text.UTF8Encoding(true),
        };
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
        foreach (var input in new[] { bytes, ReadOutcome.GzipBytes(bytes) })
        {
            var o = ReadOutcome.Bytes(input);
            Assert.Empty(o.Errors);
            Assert.Equal(["enc-1", "enc-2"], o.Events.Select(e => e.EventId));
        }
    }

    [Fact]
    public void TruncatedGzipOfOneTopLevelRecordIsReportedAsTruncated()
    {
        var gz = ReadOutcome.Gzip(Samples.Record("whole") + Samples.Record("cut").Replace("aws-cli/2.15", new string('z', 20000)));
        var o = ReadOutcome.Bytes(gz[..(gz.Length - 60)]);
        Assert.Equal(["whole"], o.Events.Select(e => e.EventId));
        Assert.Contains(Assert.Single(o.Errors).ErrorId, new[] { "LogFileTruncated", "LogFileCorrupt" });
    }
}
