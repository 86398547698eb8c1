using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Engine.Tests.Detection;

/// <summary>The Sigma edge cases from real bug reports (shared/cases/edge-cases.md), with their right values.</summary>
public class SigmaEdgeCaseTests
{
    // BR-18: backslash and wildcard escaping.
    [Theory]
    [InlineData(@"'C:\Windows\System32\*.exe'", @"C:\\Windows\\System32*.exe", true)]
    [InlineData(@"'C:\Windows\System32\*.exe'", @"C:\\Windows\\System32\\cmd.exe", false)]
    [InlineData(@"'C:\Windows\System32\\*.exe'", @"C:\\Windows\\System32\\cmd.exe", true)]
    [InlineData(@"'C:\Windows\System32\\*.exe'", @"c:\\windows\\system32\\CMD.EXE", true)]
    [InlineData(@"'C:\Windows\System32\\*.exe'", @"C:\\Windows\\System32*.exe", false)]
    [InlineData(@"'\\\\\*\IPC$'", @"\\\\*\\IPC$", true)]
    [InlineData(@"'\\\\\*\IPC$'", @"\\\\srv\\IPC$", false)]
    public void BR18_Escaping(string value, string jsonEscapedField, bool expected)
    {
        var rule = Sigma.Rule($"sel:\n  Image: {value}\ncondition: sel");
        Assert.Equal(expected, rule.Match($"{{\"Image\":\"{jsonEscapedField}\"}}"));
    }

    [Theory]
    [InlineData(@"'\Desktop\'")]
    [InlineData(@"'\Desktop\\'")]
    public void BR18_TrailingBackslashStaysLiteralWithContains(string value)
    {
        var rule = Sigma.Rule($"sel:\n  Path|contains: {value}\ncondition: sel");
        Assert.True(rule.Match(@"{""Path"":""C:\\Users\\u\\Desktop\\a.lnk""}"));
        Assert.False(rule.Match(@"{""Path"":""C:\\Users\\u\\Desktop""}"));
    }

    // BR-20: null vs '' vs '-' vs exists.
    private static readonly string[] Br20Events = ["{}", "{\"PasswordLastSet\":null}", "{\"PasswordLastSet\":\"\"}", "{\"PasswordLastSet\":\"-\"}", "{\"PasswordLastSet\":\"2024-05-01\"}"];

    [Theory]
    [InlineData("PasswordLastSet: null", "sel", new[] { true, true, false, false, false })]
    [InlineData("PasswordLastSet: ''", "sel", new[] { false, false, true, false, false })]
    [InlineData("PasswordLastSet: '-'", "sel", new[] { false, false, false, true, false })]
    [InlineData("PasswordLastSet|exists: false", "sel", new[] { true, false, false, false, false })]
    [InlineData("PasswordLastSet: null", "not sel", new[] { false, false, true, true, true })]
    public void BR20_NullEmptyDashExists(string selection, string condition, bool[] expected)
    {
        var rule = Sigma.Rule($"sel:\n  {selection}\ncondition: {condition}");
        Assert.Equal(expected, Br20Events.Select(rule.Match).ToArray());
    }

    [Fact]
    public void BR20_NullInAValueListIsRejected()
    {
        Assert.Contains("null", Sigma.Problem("sel:\n  PasswordLastSet: ['', null]\ncondition: sel"));
    }

    // BR-21: windash.
    [Theory]
    [InlineData("procdump.exe /ma 1", true)]
    [InlineData("procdump.exe \u2013ma 1", true)]
    [InlineData("procdump.exe \u2014ma 1", true)]
    [InlineData("procdump.exe \u2015ma 1", true)]
    [InlineData("procdump.exe \u2212ma 1", false)]
    [InlineData("procdump.exe -MA 1", true)]
    public void BR21_WindashExpandsTheFlagDash(string commandLine, bool expected)
    {
        foreach (var modifiers in new[] { "windash|contains", "contains|windash" })
        {
            var rule = Sigma.Rule($"sel:\n  CommandLine|{modifiers}: ' -ma '\ncondition: sel");
            Assert.Equal(expected, rule.Match($"{{\"CommandLine\":\"{commandLine}\"}}"));
        }
    }

    [Theory]
    [InlineData("tool /param-name x", true)]
    [InlineData("tool /param/name x", false)]
    [InlineData("tool -param\u2013name x", false)]
    public void BR21_InnerHyphenIsNeverExpanded(string commandLine, bool expected)
    {
        var rule = Sigma.Rule("sel:\n  CommandLine|contains|windash: ' -param-name '\ncondition: sel");
        Assert.Equal(expected, rule.Match($"{{\"CommandLine\":\"{commandLine}\"}}"));
    }

    // BR-22: list and condition semantics.
    private const string M1 = "{\"message\":\"peer 192.0.2.1:179 down\"}";
    private const string M2 = "{\"message\":\"192.0.2.1:179 missing MD5 digest\"}";

    [Fact]
    public void BR22_AllOfASingleKeywordListIsAnOr()
    {
        var rule = Sigma.Rule("keywords: ['*:179*', '*missing MD5 digest*']\ncondition: all of keywords");
        Assert.True(rule.Match(M1));
        Assert.True(rule.Match(M2));
    }

    [Fact]
    public void BR22_KeylessAllModifierIsAnAnd()
    {
        var rule = Sigma.Rule("keywords:\n  '|all': ['*:179*', '*missing MD5 digest*']\ncondition: keywords");
        Assert.False(rule.Match(M1));
        Assert.True(rule.Match(M2));
    }

    [Fact]
    public void BR22_ThemExcludesUnderscoreIdentifiers()
    {
        var rule = Sigma.Rule("sel_a:\n  EventID: 1\n_helper:\n  User: 'SYSTEM'\ncondition: 1 of them");
        Assert.False(rule.Match("{\"EventID\":2,\"User\":\"SYSTEM\"}"));
        Assert.True(rule.Match("{\"EventID\":1,\"User\":\"bob\"}"));
    }

    [Fact]
    public void BR22_WindashWithAllIsRejectedAtLoad()
    {
        Assert.Contains("windash", Sigma.Problem("sel:\n  CommandLine|windash|contains|all: [' -a ', ' -b ']\ncondition: sel"));
    }

    // BR-23: base64offset.
    [Fact]
    public void BR23_Base64OffsetExpandsToThreeTrimmedPatterns()
    {
        var patterns = FieldMatcher.Base64Offsets("whoami"u8.ToArray()).Select(p => p.LiteralText).ToArray();
        Assert.Equal(["d2hvYW1p", "dob2Fta", "3aG9hbW"], patterns);
    }

    [Theory]
    [InlineData("-enc d2hvYW1pIC9hbGw=", true)]
    [InlineData("-enc eCB3aG9hbWk=", true)]
    [InlineData("-enc Y21kIC9jIHdob2FtaQ==", true)]
    [InlineData("-enc V0hPQU1J", false)]
    [InlineData("-enc dwBoAG8AYQBtAGkA", false)]
    public void BR23_Base64OffsetMatches(string commandLine, bool expected)
    {
        var rule = Sigma.Rule("sel:\n  CommandLine|base64offset|contains: 'whoami'\ncondition: sel");
        Assert.Equal(expected, rule.Match($"{{\"CommandLine\":\"{commandLine}\"}}"));
    }

    [Fact]
    public void BR23_WideBase64OffsetMatchesUtf16()
    {
        var rule = Sigma.Rule("sel:\n  CommandLine|wide|base64offset|contains: 'whoami'\ncondition: sel");
        Assert.True(rule.Match("{\"CommandLine\":\"-enc dwBoAG8AYQBtAGkA\"}"));
    }

    [Fact]
    public void BR23_WildcardsCannotBeBase64Encoded()
    {
        Assert.Contains("wildcards", Sigma.Problem("sel:\n  CommandLine|base64offset|contains: 'who*mi'\ncondition: sel"));
    }

    // BR-25: case rules and dotted paths.
    private const string N1 = "{\"eventName\":\"ConsoleLogin\",\"additionalEventData\":{\"MFAUsed\":\"No\"}}";
    private const string N2 = "{\"eventName\":\"consolelogin\",\"additionalEventData.MFAUsed\":\"No\"}";
    private const string N3 = "{\"eventName\":\"ConsoleLogin\",\"additionalEventData\":{\"MFAUsed\":\"Yes\"}}";
    private const string L1 = "{\"Message\":\"child exit signal Segmentation fault (11)\"}";

    [Fact]
    public void BR25_NestedAndFlattenedDottedPathsCaseInsensitiveValues()
    {
        var rule = Sigma.Rule("sel:\n  eventName: 'ConsoleLogin'\n  additionalEventData.MFAUsed: 'NO'\ncondition: sel");
        Assert.True(rule.Match(N1));
        Assert.True(rule.Match(N2));
        Assert.False(rule.Match(N3));
    }

    [Theory]
    [InlineData("Message|contains: 'Segmentation Fault'", true)]
    [InlineData("Message|re: 'Segmentation Fault'", false)]
    [InlineData("Message|re|i: 'Segmentation Fault'", true)]
    [InlineData("Message|cased|contains: 'Segmentation Fault'", false)]
    public void BR25_CaseRules(string selection, bool expected)
    {
        var rule = Sigma.Rule($"sel:\n  {selection}\ncondition: sel");
        Assert.Equal(expected, rule.Match(L1));
    }
}
