using System.Text.RegularExpressions;

namespace CloudIdentity.Engine.Posture;

/// <summary>ISO 8601 durations (P3M = 3 months, PT3M = 3 minutes). Months and years are applied to an anchor date, not fixed lengths.</summary>
public sealed partial record IsoDuration(int Years, int Months, int Weeks, int Days, int Hours, int Minutes, double Seconds)
{
    public static IsoDuration? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim() is "P" or "PT") return null;
        int I(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var s = m.Groups["s"].Success ? double.Parse(m.Groups["s"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new IsoDuration(I("y"), I("mo"), I("w"), I("d"), I("h"), I("mi"), s);
    }

    public DateTimeOffset AddTo(DateTimeOffset anchor) =>
        anchor.AddYears(Years).AddMonths(Months).AddDays(Weeks * 7 + Days).AddHours(Hours).AddMinutes(Minutes).AddSeconds(Seconds);

    public DateTimeOffset SubtractFrom(DateTimeOffset anchor) =>
        anchor.AddYears(-Years).AddMonths(-Months).AddDays(-(Weeks * 7 + Days)).AddHours(-Hours).AddMinutes(-Minutes).AddSeconds(-Seconds);

    public TimeSpan LengthFrom(DateTimeOffset anchor) => AddTo(anchor) - anchor;

    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
