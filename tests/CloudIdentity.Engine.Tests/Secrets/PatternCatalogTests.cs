using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Engine.Tests.Secrets;

/// <summary>Convention tests that keep the catalog honest: unique ids, metadata, and every example behaves.</summary>
public class PatternCatalogTests
{
    public static TheoryData<string> PatternIds()
    {
        var data = new TheoryData<string>();
        foreach (var p in PatternCatalog.BuiltIn.Patterns) data.Add(p.Id);
        return data;
    }

    [Fact]
    public void Catalog_has_unique_ids_and_the_credential_types_the_issue_names()
    {
        var ids = PatternCatalog.BuiltIn.Patterns.Select(p => p.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var required in new[] { "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "azure-storage-account-key",
                     "azure-sas-token", "azure-storage-connection-string", "azure-entra-client-secret", "github-token", "gitlab-token",
                     "slack-token", "stripe-key", "npm-token", "google-api-key", "google-service-account-key", "private-key",
                     "putty-private-key", "jwt", "url-embedded-password", "connection-string-password", "generic-secret-assignment" })
            Assert.Contains(required, ids);
    }

    [Theory]
    [MemberData(nameof(PatternIds))]
    public void Pattern_has_metadata_and_examples(string id)
    {
        var p = PatternCatalog.BuiltIn.Find(id)!;
        Assert.False(string.IsNullOrWhiteSpace(p.Title));
        Assert.NotEmpty(p.PositiveExamples);
        Assert.NotEmpty(p.NegativeExamples);
        if (p.Requires is not null) Assert.NotNull(PatternCatalog.BuiltIn.Find(p.Requires));
    }

    [Theory]
    [MemberData(nameof(PatternIds))]
    public void True_positive_examples_are_found(string id)
    {
        var p = PatternCatalog.BuiltIn.Find(id)!;
        var scanner = new SecretScanner(new SecretScanOptions());
        foreach (var example in p.PositiveExamples)
        {
            var found = scanner.ScanText(example, "example").Select(i => i.Finding).OfType<SecretFinding>().Select(f => f.PatternId).ToList();
            Assert.True(found.Contains(id), $"{id}: positive example not found (found: {string.Join(", ", found)}): {Redaction.Mask(example)}");
        }
    }

    [Theory]
    [MemberData(nameof(PatternIds))]
    public void False_positive_examples_are_not_found(string id)
    {
        var p = PatternCatalog.BuiltIn.Find(id)!;
        var scanner = new SecretScanner(new SecretScanOptions());
        foreach (var example in p.NegativeExamples)
        {
            var found = scanner.ScanText(example, "example").Select(i => i.Finding).OfType<SecretFinding>().Select(f => f.PatternId).ToList();
            Assert.False(found.Contains(id), $"{id}: false-positive example was reported: {example}");
        }
    }

    [Fact]
    public void User_pattern_file_adds_a_pattern_and_bad_definitions_are_rejected()
    {
        var yaml = """
            - id: acme-api-key
              title: ACME API key
              severity: High
              keywords: [acme_]
              regex: 'acme_(?<secret>[a-z0-9]{24})'
              examples:
                positive: ['acme_k3j4h5g6f7d8s9a0p1o2i3u4']
                negative: ['acme_short']
            """;
        var user = PatternCatalog.Parse(yaml, "user.yml");
        var catalog = PatternCatalog.BuiltIn.With(user);
        var scanner = new SecretScanner(new SecretScanOptions { Catalog = catalog });
        var f = Assert.Single(scanner.ScanText("key=acme_k3j4h5g6f7d8s9a0p1o2i3u4", "in").Select(i => i.Finding).OfType<SecretFinding>());
        Assert.Equal("acme-api-key", f.PatternId);
        Assert.Equal("user.yml", catalog.Find("acme-api-key")!.Source);
        Assert.Throws<PatternDefinitionException>(() => PatternCatalog.Parse("- id: Bad Id\n  regex: x", "bad.yml"));
        Assert.Throws<PatternDefinitionException>(() => PatternCatalog.Parse("- id: bad-regex\n  regex: '(unclosed'", "bad.yml"));
    }
}
