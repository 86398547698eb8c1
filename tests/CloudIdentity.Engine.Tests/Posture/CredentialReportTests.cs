using CloudIdentity.Engine.Posture;
using CloudIdentity.Engine.Tests.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace CloudIdentity.Engine.Tests.Posture;

public class CredentialReportTests
{
    internal const string Header22 = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    internal const string Br13 = Header22 + """

        user-a,arn:aws:iam::111111111111:user/user-a,2024-04-28T09:00:00+00:00,true,no_information,2024-04-28T09:00:01+00:00,N/A,false,true,2024-04-28T09:05:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        user-b,arn:aws:iam::111111111111:user/user-b,2023-01-10T09:00:00+00:00,true,no_information,2023-01-10T09:00:01+00:00,N/A,true,true,2023-01-10T09:05:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        user-c,arn:aws:iam::111111111111:user/user-c,2023-01-10T09:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-04-20T00:00:00+00:00,2024-04-21T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        user-d,arn:aws:iam::111111111111:user/user-d,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2023-10-13T00:00:00+00:00,2024-04-30T00:00:00+00:00,us-east-1,ec2,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        """;

    internal const string Br15Old = """
        user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
        user-f,arn:aws:iam::111111111111:user/user-f,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,2022-01-01T00:00:00+00:00,TRUE,2023-06-01T00:00:00+00:00,false,N/A,false,N/A
        user-g,arn:aws:iam::111111111111:user/user-g,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-04-15T00:00:00+00:00,false,N/A,false,N/A,false,N/A
        """;

    internal static readonly DateTimeOffset May1 = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

    internal static List<PostureResult> Run(string csv, string checkId, DateTimeOffset at)
    {
        var ctx = new PostureContext(new FakeTimeProvider(at)) { CredentialReport = CredentialReportParser.Parse(csv) };
        return PostureCheckCatalog.Run(ctx, PostureCheckCatalog.All.Where(c => c.Id == checkId)).ToList();
    }

    [Fact]
    public void Parses_by_header_name_with_no_value_markers_as_nulls()
    {
        var report = CredentialReportParser.Parse(Br13);
        var a = report.Entries[0];
        Assert.Equal("user-a", a.User);
        Assert.Null(a.PasswordLastUsed);
        Assert.Equal("no_information", a.PasswordLastUsedRaw);
        Assert.Equal(new DateTimeOffset(2024, 4, 28, 9, 0, 0, TimeSpan.Zero), a.UserCreationTime);
        Assert.True(a.AccessKey1Active);
        Assert.Null(a.AccessKey1LastUsedDate);
        Assert.True(report.HasKeyUsageColumns);
        var old = CredentialReportParser.Parse(Br15Old);
        Assert.False(old.HasKeyUsageColumns);
        Assert.True(old.Entries[0].AccessKey2Active); // "TRUE" read case-insensitively
        Assert.Equal(new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero), old.Entries[0].AccessKey2LastRotated);
    }

    [Fact]
    public void BR13_never_used_values_measure_from_creation_and_stay_independent_of_rotation()
    {
        var results = Run(Br13, "aws-iam-unused-credentials", May1);
        PostureStatus StatusOf(string resource) => results.Single(r => r.Resource == resource).Status;
        Assert.Equal(PostureStatus.Pass, StatusOf("arn:aws:iam::111111111111:user/user-a (password)"));
        Assert.Equal(PostureStatus.Pass, StatusOf("arn:aws:iam::111111111111:user/user-a (access_key_1)"));
        Assert.Equal(PostureStatus.Fail, StatusOf("arn:aws:iam::111111111111:user/user-b (password)"));
        Assert.Equal(PostureStatus.Fail, StatusOf("arn:aws:iam::111111111111:user/user-b (access_key_1)"));
        // "about 477 days": 476 whole days and 15 hours.
        Assert.Contains("476 days", results.Single(r => r.Resource.EndsWith("user-b (access_key_1)")).Reason);
        Assert.DoesNotContain(results, r => r.Resource.Contains("user-c (password)")); // password disabled: not applicable
        Assert.Equal(PostureStatus.Pass, StatusOf("arn:aws:iam::111111111111:user/user-c (access_key_1)"));
        Assert.Equal(PostureStatus.Pass, StatusOf("arn:aws:iam::111111111111:user/user-d (access_key_1)"));
        // user-d's 201-day-old key fails rotation separately.
        var rotation = Run(Br13, "aws-iam-access-key-rotation", May1);
        var d = rotation.Single(r => r.Resource.Contains("user-d"));
        Assert.Equal(PostureStatus.Fail, d.Status);
        Assert.Contains("201 days", d.Reason);
        Assert.All(results, r => Assert.Equal("CIS AWS 3.0 1.12", r.ControlId));
    }

    [Fact]
    public void BR15_rotation_ignores_inactive_keys_checks_both_slots_and_reads_columns_by_name()
    {
        var results = Run(Br15Old, "aws-iam-access-key-rotation", May1);
        Assert.Equal(2, results.Count);
        var f = results.Single(r => r.Resource.Contains("user-f"));
        Assert.Equal("arn:aws:iam::111111111111:user/user-f (access_key_2)", f.Resource);
        Assert.Equal(PostureStatus.Fail, f.Status);
        Assert.Contains("335 days", f.Reason);
        var g = results.Single(r => r.Resource.Contains("user-g"));
        Assert.Equal(PostureStatus.Pass, g.Status);
        Assert.Contains("16 days", g.Reason);
        // The same rows in the current 22-column layout give identical verdicts.
        var current = Header22 + "\n" +
            "user-f,arn:aws:iam::111111111111:user/user-f,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,2022-01-01T00:00:00+00:00,N/A,N/A,N/A,TRUE,2023-06-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n" +
            "user-g,arn:aws:iam::111111111111:user/user-g,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-04-15T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
        var again = Run(current, "aws-iam-access-key-rotation", May1);
        Assert.Equal(results.Select(r => (r.Resource, r.Status, r.Reason)), again.Select(r => (r.Resource, r.Status, r.Reason)));
        // Older header has no usage columns: the unused-key check says Manual, never Pass.
        var unused = Run(Br15Old, "aws-iam-unused-credentials", May1);
        Assert.All(unused, r => Assert.Equal(PostureStatus.Manual, r.Status));
    }

    [Fact]
    public void Root_and_console_checks_on_the_real_report()
    {
        if (CorpusPaths.CredReport is null) return;
        var csv = File.ReadAllText(Path.Combine(CorpusPaths.CredReport, "real", "cfech_credential-report.csv"));
        var ctx = new PostureContext(new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero))) { CredentialReport = CredentialReportParser.Parse(csv) };
        var results = PostureCheckCatalog.Run(ctx, PostureCheckCatalog.All).ToList();
        Assert.Equal(PostureStatus.Pass, results.Single(r => r.CheckId == "aws-iam-root-mfa").Status);
        Assert.Equal(PostureStatus.Pass, results.Single(r => r.CheckId == "aws-iam-root-access-keys").Status);
        Assert.Equal(PostureStatus.Manual, results.Single(r => r.CheckId == "aws-iam-root-hardware-mfa").Status);
        Assert.DoesNotContain(results, r => r.Status == PostureStatus.Error);
        foreach (var name in new[] { "cloudquery_exampleReport.csv", "cloudquery_exampleReportWithNilValues.csv" })
        {
            var other = CredentialReportParser.Parse(File.ReadAllText(Path.Combine(CorpusPaths.CredReport, "extracted", name)));
            Assert.NotEmpty(other.Entries);
        }
    }

    [Fact]
    public void Malformed_reports_are_errors_not_passes()
    {
        Assert.Throws<FormatException>(() => CredentialReportParser.Parse("name,value\nx,y"));
        Assert.Throws<FormatException>(() => CredentialReportParser.Parse(Header22 + "\nuser-x,arn,not-a-date,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"));
    }

    [Fact]
    public void Mfa_single_key_and_root_key_checks()
    {
        var csv = Header22 + "\n" +
            "<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,not_supported,not_supported,false,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
            "u1,arn:aws:iam::1:user/u1,2020-01-01T00:00:00+00:00,true,2024-04-30T00:00:00+00:00,2020-01-01T00:00:00+00:00,N/A,false,true,2024-04-01T00:00:00+00:00,2024-04-30T00:00:00+00:00,us-east-1,s3,true,2024-04-01T00:00:00+00:00,2024-04-30T00:00:00+00:00,us-east-1,s3,false,N/A,false,N/A\n";
        Assert.Equal(PostureStatus.Fail, Run(csv, "aws-iam-root-mfa", May1).Single().Status);
        Assert.Equal(PostureStatus.Fail, Run(csv, "aws-iam-root-access-keys", May1).Single().Status);
        Assert.Equal(PostureStatus.Fail, Run(csv, "aws-iam-console-user-mfa", May1).Single().Status);
        Assert.Equal(PostureStatus.Fail, Run(csv, "aws-iam-single-active-key", May1).Single().Status);
    }
}
