namespace CloudIdentity.Engine.Secrets;

/// <summary>Shannon entropy in bits per character.</summary>
public static class Entropy
{
    public static double Shannon(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return 0;
        Span<int> counts = stackalloc int[128];
        var other = new Dictionary<char, int>();
        foreach (var c in s)
        {
            if (c < 128) counts[c]++;
            else other[c] = other.GetValueOrDefault(c) + 1;
        }
        double h = 0, n = s.Length;
        foreach (var c in counts) if (c > 0) { var p = c / n; h -= p * Math.Log2(p); }
        foreach (var c in other.Values) { var p = c / n; h -= p * Math.Log2(p); }
        return h;
    }
}
