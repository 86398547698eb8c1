using System.Collections;
using System.Management.Automation;
using CloudIdentity.Engine.Detection.Sigma;

namespace CloudIdentity.Commands;

/// <summary>Turns a -Placeholder hashtable (name → one value or a list) into rule compile options.</summary>
internal static class PlaceholderOptions
{
    public static SigmaCompileOptions From(Hashtable? placeholders)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (placeholders is not null)
        {
            foreach (DictionaryEntry entry in placeholders)
            {
                var name = (entry.Key?.ToString() ?? "").Trim('%');
                var value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
                map[name] = value switch
                {
                    null => [],
                    string s => [s],
                    IEnumerable list => list.Cast<object?>().Select(o => (o is PSObject p ? p.BaseObject : o)?.ToString() ?? "").ToArray(),
                    _ => [value.ToString() ?? ""],
                };
            }
        }
        return new SigmaCompileOptions { Placeholders = map, UnresolvedPlaceholders = PlaceholderPolicy.Wildcard };
    }
}
