using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Engine.Tests.Secrets;

public class VerificationTests
{
    private const string Secret = "odJFCrnl2edlBDdz1C5Jau2RJtBRnlWmTSHf6pWk";

    private static string Creds(string id) => $"[default]\naws_access_key_id = {id}\naws_secret_access_key = {Secret}\n";

    [Theory]
    [InlineData("AKIAS5EOQM3HOJRJEDKT", SecretVerification.Verified)]
    [InlineData("AKIAQWERTYUIOPASDFGH", SecretVerification.Invalid)]
    public void Aws_key_pair_is_checked_against_sts_get_caller_identity(string keyId, SecretVerification expected)
    {
        using var sts = new FakeSts("AKIAS5EOQM3HOJRJEDKT");
        var scanner = new SecretScanner(new SecretScanOptions { Verifier = new AwsStsVerifier(sts.Endpoint, TimeSpan.FromSeconds(5)) });
        var findings = scanner.ScanText(Creds(keyId), "credentials").Select(i => i.Finding).OfType<SecretFinding>().ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(expected, f.Verification));
        var request = Assert.Single(sts.Requests);
        Assert.Contains("Action=GetCallerIdentity", request);
        Assert.Contains("Version=2011-06-15", request);
        if (expected == SecretVerification.Verified) Assert.Contains("arn:aws:iam::123456789012:user/leaked-ci-user", findings[0].VerificationDetail);
        Assert.All(findings, f => Assert.DoesNotContain(Secret, f.VerificationDetail));
    }

    [Fact]
    public void Unreachable_endpoint_gives_unknown_and_unpaired_keys_are_not_sent()
    {
        using var sts = new FakeSts("AKIAS5EOQM3HOJRJEDKT");
        var dead = new Uri(sts.Endpoint.ToString());
        sts.Dispose();
        var scanner = new SecretScanner(new SecretScanOptions { Verifier = new AwsStsVerifier(dead, TimeSpan.FromSeconds(3)) });
        var f = scanner.ScanText(Creds("AKIAS5EOQM3HOJRJEDKT"), "c").Select(i => i.Finding).OfType<SecretFinding>().First();
        Assert.Equal(SecretVerification.Unknown, f.Verification);
        var alone = scanner.ScanText("id = AKIAS5EOQM3HOJRJEDKT", "c").Select(i => i.Finding).OfType<SecretFinding>().Single();
        Assert.Equal(SecretVerification.Unknown, alone.Verification);
        Assert.Contains("no secret access key", alone.VerificationDetail);
    }

    [Fact]
    public void Without_a_verifier_nothing_is_verified()
    {
        var f = new SecretScanner(new SecretScanOptions()).ScanText(Creds("AKIAS5EOQM3HOJRJEDKT"), "c").Select(i => i.Finding).OfType<SecretFinding>().First();
        Assert.Equal(SecretVerification.NotChecked, f.Verification);
    }
}
