using System.IO.Compression;
using System.Text;
using CloudIdentity.Engine.Events;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Tests.Reading;

/// <summary>Reads inputs the way the cmdlet does and splits the items by kind.</summary>
internal sealed record ReadOutcome(List<CloudIdEvent> Events, List<ReadProblem> Errors, List<ReadProblem> Warnings, List<string> Notes)
{
    public static ReadOutcome Of(IEnumerable<ReadItem> items)
    {
        var o = new ReadOutcome([], [], [], []);
        foreach (var i in items)
        {
            if (i.Event is not null) o.Events.Add(i.Event);
            else if (i.Problem is { Severity: ProblemSeverity.Error } e) o.Errors.Add(e);
            else if (i.Problem is { } w) o.Warnings.Add(w);
            else if (i.Note is not null) o.Notes.Add(i.Note);
        }
        return o;
    }

    public static ReadOutcome Text(string json, ReadOptions? options = null) =>
        Of(new EventReader(options ?? new ReadOptions()).ReadText(json, "test-input").ToList());

    public static ReadOutcome Bytes(byte[] bytes) =>
        Of(new EventReader(new ReadOptions()).ReadStream(InputOpener.Decompress(new MemoryStream(bytes)), "test-input").ToList());

    public static ReadOutcome File(string path) =>
        Of(new EventReader(new ReadOptions()).ReadFile(path).ToList());

    public static byte[] GzipBytes(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest)) gz.Write(bytes);
        return buffer.ToArray();
    }

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest)) gz.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }
}

internal static class Samples
{
    public static string Record(string id, string eventName = "AttachUserPolicy", string time = "2024-05-01T10:00:05Z") =>
        $$"""{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111111111111:user/alice","accountId":"111111111111","accessKeyId":"AKIAEXAMPLEKEY","userName":"alice"},"eventTime":"{{time}}","eventSource":"iam.amazonaws.com","eventName":"{{eventName}}","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15","requestParameters":{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"responseElements":null,"eventID":"{{id}}","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"111111111111"}""";

    public static string RecordsFile(params string[] records) => "{\"Records\":[" + string.Join(",", records) + "]}";
}
