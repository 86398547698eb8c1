using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Secrets;

/// <summary>
/// Documented example keys and placeholder values that are not findings (BR-37). Returns the reason when a
/// value is one, else null.
/// </summary>
public static partial class Placeholders
{
    private static readonly HashSet<string> DocumentedValues = new(StringComparer.Ordinal)
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    };

    private static readonly string[] PlaceholderWords =
    [
        "example", "placeholder", "your_", "your-", "yourpassword", "changeme", "change_me", "redacted", "replace_me",
        "replaceme", "insert_", "<", ">", "${", "{{", "%(", "$(", "#{", "xxxxx", "*****", "....", "dummy_", "fake_value",
    ];

    private static readonly HashSet<string> WeakWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "secret", "token", "changeme", "null", "none", "undefined", "true", "false",
        "username", "user", "pwd", "empty", "test", "testing", "string",
    };

    public static string? Reason(string secret)
    {
        if (DocumentedValues.Contains(secret)) return "documented example value";
        if (secret.Contains("EXAMPLE", StringComparison.Ordinal)) return "documented example value (…EXAMPLE)";
        var lower = secret.ToLowerInvariant();
        foreach (var w in PlaceholderWords) if (lower.Contains(w, StringComparison.Ordinal)) return $"placeholder value ('{w}')";
        if (WeakWords.Contains(secret)) return "placeholder value (a word, not a secret)";
        if (secret.StartsWith('$') && VariableReference().IsMatch(secret)) return "variable reference";
        if (FewDistinct(secret)) return "placeholder value (repeated characters)";
        if (SequentialRun().IsMatch(secret)) return "placeholder value (sequential run)";
        return null;
    }

    private static bool FewDistinct(string s)
    {
        // Body after a known prefix ("ghp_", "glpat-"...): look at the last 16 characters.
        var tail = s.Length > 16 ? s[^16..] : s;
        if (tail.Distinct().Count() <= 2) return true;
        // A short unit repeated ("TESTTESTTEST…", "abcabcabc…").
        for (var unit = 1; unit <= 4 && tail.Length >= unit * 3; unit++)
        {
            var repeated = true;
            for (var i = unit; i < tail.Length && repeated; i++) repeated = tail[i] == tail[i % unit];
            if (repeated) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^\$[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"(?:0123456789|abcdefghij|ABCDEFGHIJ|1234567890){1}.*(?:KLMNOP|klmnop|XYZ|xyz)")]
    private static partial Regex SequentialRun();
}
