using System.Globalization;
using System.Text;

namespace CloudIdentity.Engine.Posture;

/// <summary>One row of the IAM credential report. Dates are null for N/A, no_information and not_supported; the raw text is kept.</summary>
public sealed class CredentialReportEntry
{
    public const string RootUser = "<root_account>";
    public required string User { get; init; }
    public string Arn { get; init; } = "";
    public bool IsRoot => User == RootUser;
    public DateTimeOffset? UserCreationTime { get; init; }
    public bool? PasswordEnabled { get; init; }
    public DateTimeOffset? PasswordLastUsed { get; init; }
    /// <summary>"no_information" (never used, or not since Oct 2014), "N/A" (no password) or the date text.</summary>
    public string PasswordLastUsedRaw { get; init; } = "";
    public DateTimeOffset? PasswordLastChanged { get; init; }
    public DateTimeOffset? PasswordNextRotation { get; init; }
    public bool? MfaActive { get; init; }
    public bool AccessKey1Active { get; init; }
    public DateTimeOffset? AccessKey1LastRotated { get; init; }
    public DateTimeOffset? AccessKey1LastUsedDate { get; init; }
    public string? AccessKey1LastUsedRegion { get; init; }
    public string? AccessKey1LastUsedService { get; init; }
    public bool AccessKey2Active { get; init; }
    public DateTimeOffset? AccessKey2LastRotated { get; init; }
    public DateTimeOffset? AccessKey2LastUsedDate { get; init; }
    public string? AccessKey2LastUsedRegion { get; init; }
    public string? AccessKey2LastUsedService { get; init; }
    public bool Cert1Active { get; init; }
    public DateTimeOffset? Cert1LastRotated { get; init; }
    public bool Cert2Active { get; init; }
    public DateTimeOffset? Cert2LastRotated { get; init; }
    /// <summary>False for older reports without the access_key_N_last_used_* columns.</summary>
    public bool HasKeyUsageColumns { get; init; }

    public override string ToString() => User;
}

public sealed class CredentialReport(IReadOnlyList<CredentialReportEntry> entries, bool hasKeyUsageColumns)
{
    public IReadOnlyList<CredentialReportEntry> Entries { get; } = entries;
    public bool HasKeyUsageColumns { get; } = hasKeyUsageColumns;
}

/// <summary>Parses the credential report CSV by header name, so reports with more or fewer columns read the same (BR-15).</summary>
public static class CredentialReportParser
{
    private static readonly string[] Required = ["user", "arn"];

    public static CredentialReport Parse(string csv)
    {
        var rows = Csv(csv).Where(r => r.Count > 1 || (r.Count == 1 && r[0].Length > 0)).ToList();
        if (rows.Count == 0) throw new FormatException("the credential report is empty");
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        // The first line is not echoed: a file that is not a credential report may hold secrets there.
        foreach (var r in Required) if (!header.Contains(r)) throw new FormatException($"the credential report has no '{r}' column; its first line has {header.Count} comma-separated field(s) and is not a credential report header (expected: {string.Join(",", Required)}, ...)");
        var index = header.Select((h, i) => (h, i)).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().i);
        var hasUsage = index.ContainsKey("access_key_1_last_used_date");
        var entries = new List<CredentialReportEntry>();
        for (var n = 1; n < rows.Count; n++)
        {
            var row = rows[n];
            if (row.Count != header.Count) throw new FormatException($"row {n + 1} has {row.Count} fields, the header has {header.Count}");
            string? Get(string name) => index.TryGetValue(name, out var i) ? row[i].Trim() : null;
            entries.Add(new CredentialReportEntry
            {
                User = Get("user")!,
                Arn = Get("arn") ?? "",
                UserCreationTime = Date(Get("user_creation_time")),
                PasswordEnabled = Bool(Get("password_enabled")),
                PasswordLastUsed = Date(Get("password_last_used")),
                PasswordLastUsedRaw = Get("password_last_used") ?? "",
                PasswordLastChanged = Date(Get("password_last_changed")),
                PasswordNextRotation = Date(Get("password_next_rotation")),
                MfaActive = Bool(Get("mfa_active")),
                AccessKey1Active = Bool(Get("access_key_1_active")) ?? false,
                AccessKey1LastRotated = Date(Get("access_key_1_last_rotated")),
                AccessKey1LastUsedDate = Date(Get("access_key_1_last_used_date")),
                AccessKey1LastUsedRegion = Text(Get("access_key_1_last_used_region")),
                AccessKey1LastUsedService = Text(Get("access_key_1_last_used_service")),
                AccessKey2Active = Bool(Get("access_key_2_active")) ?? false,
                AccessKey2LastRotated = Date(Get("access_key_2_last_rotated")),
                AccessKey2LastUsedDate = Date(Get("access_key_2_last_used_date")),
                AccessKey2LastUsedRegion = Text(Get("access_key_2_last_used_region")),
                AccessKey2LastUsedService = Text(Get("access_key_2_last_used_service")),
                Cert1Active = Bool(Get("cert_1_active")) ?? false,
                Cert1LastRotated = Date(Get("cert_1_last_rotated")),
                Cert2Active = Bool(Get("cert_2_active")) ?? false,
                Cert2LastRotated = Date(Get("cert_2_last_rotated")),
                HasKeyUsageColumns = hasUsage,
            });
        }
        return new CredentialReport(entries, hasUsage);
    }

    public static bool IsNoValue(string? s) => string.IsNullOrEmpty(s) || s.Equals("N/A", StringComparison.OrdinalIgnoreCase)
        || s.Equals("no_information", StringComparison.OrdinalIgnoreCase) || s.Equals("not_supported", StringComparison.OrdinalIgnoreCase);

    private static string? Text(string? s) => IsNoValue(s) ? null : s;

    private static bool? Bool(string? s) => IsNoValue(s) ? null : s!.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
        : s.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : throw new FormatException($"'{s}' is not true or false");

    private static DateTimeOffset? Date(string? s)
    {
        if (IsNoValue(s)) return null;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)) return d.ToUniversalTime();
        throw new FormatException($"'{s}' is not a date");
    }

    /// <summary>RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF.</summary>
    private static IEnumerable<List<string>> Csv(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                yield return row;
                row = [];
            }
            else if (c != '\uFEFF') field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); yield return row; }
    }
}
