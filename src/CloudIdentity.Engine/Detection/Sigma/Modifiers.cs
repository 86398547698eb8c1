namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>The value modifiers of one Sigma field specification, parsed and checked for valid combinations.</summary>
internal sealed class Modifiers
{
    private static readonly HashSet<string> Known =
    [
        "contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "base64", "base64offset",
        "wide", "utf16le", "utf16be", "utf16", "windash", "exists", "cased", "gt", "gte", "lt", "lte", "fieldref", "expand",
    ];

    public IReadOnlyList<string> Ordered { get; }
    public bool All { get; }
    public bool Cased { get; }
    public bool Re { get; }
    public bool Cidr { get; }
    public bool Exists { get; }
    public bool FieldRef { get; }
    public string? Compare { get; }
    public string? Position { get; } // contains / startswith / endswith

    public Modifiers(IReadOnlyList<string> names)
    {
        Ordered = names.Select(n => n.ToLowerInvariant()).ToArray();
        foreach (var m in Ordered)
            if (!Known.Contains(m)) throw new SigmaException($"Unsupported value modifier '{m}'.", m);
        var set = new HashSet<string>(Ordered);
        if (set.Count != Ordered.Count) throw new SigmaException($"A modifier is repeated in '|{string.Join("|", Ordered)}'.", "modifiers");
        All = set.Contains("all");
        Cased = set.Contains("cased");
        Re = set.Contains("re");
        Cidr = set.Contains("cidr");
        Exists = set.Contains("exists");
        FieldRef = set.Contains("fieldref");
        var compares = Ordered.Where(m => m is "gt" or "gte" or "lt" or "lte").ToArray();
        var positions = Ordered.Where(m => m is "contains" or "startswith" or "endswith").ToArray();
        var encodings = Ordered.Where(m => m is "wide" or "utf16le" or "utf16be" or "utf16").ToArray();
        var base64 = Ordered.Where(m => m is "base64" or "base64offset").ToArray();
        if (compares.Length > 1) throw Invalid("more than one numeric comparison");
        if (positions.Length > 1) throw Invalid("more than one of contains/startswith/endswith");
        if (encodings.Length > 1) throw Invalid("more than one text encoding");
        if (base64.Length > 1) throw Invalid("base64 and base64offset together");
        Compare = compares.FirstOrDefault();
        Position = positions.FirstOrDefault();

        var stringTransforms = positions.Length + encodings.Length + base64.Length + (set.Contains("windash") ? 1 : 0) + (set.Contains("expand") ? 1 : 0);
        var reFlags = Ordered.Count(m => m is "i" or "m" or "s");
        if (reFlags > 0 && !Re) throw Invalid("regular-expression flags (i, m, s) without 're'");
        if (Re && (stringTransforms > 0 || Cidr || Exists || Compare is not null || FieldRef || Cased))
            throw Invalid("'re' with other value modifiers");
        if (Cidr && (stringTransforms > 0 || Exists || Compare is not null || FieldRef || Cased))
            throw Invalid("'cidr' with string modifiers");
        if (Exists && Ordered.Count > 1) throw Invalid("'exists' with other modifiers");
        if (Compare is not null && (stringTransforms > 0 || FieldRef || Cased || All))
            throw Invalid($"'{Compare}' with string modifiers");
        if (FieldRef && (encodings.Length + base64.Length > 0 || set.Contains("windash") || set.Contains("expand")))
            throw Invalid("'fieldref' with value transformations");
        if (encodings.Length > 0)
        {
            int enc = Array.IndexOf(Ordered.ToArray(), encodings[0]);
            bool followedByBase64 = Ordered.Skip(enc + 1).Any(m => m is "base64" or "base64offset");
            bool afterBase64 = base64.Length > 0 && Array.IndexOf(Ordered.ToArray(), base64[0]) < enc;
            if (!followedByBase64 && !afterBase64) throw Invalid($"'{encodings[0]}' without base64 or base64offset");
        }
        // An AND over the values that an expanding modifier generates is meaningless (SigmaHQ validator rule).
        if (All && set.Contains("windash")) throw Invalid("'all' with 'windash' (an AND over generated dash variants)");
    }

    private SigmaException Invalid(string what) =>
        new($"Invalid modifier combination '|{string.Join("|", Ordered)}': {what}.", "modifiers");
}
