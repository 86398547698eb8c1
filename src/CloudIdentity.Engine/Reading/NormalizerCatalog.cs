using System.Text.Json;

namespace CloudIdentity.Engine.Reading;

/// <summary>All log-source normalizers in the engine, found by interface.</summary>
public static class NormalizerCatalog
{
    private static readonly Lazy<IReadOnlyList<IEventNormalizer>> All = new(() =>
        typeof(NormalizerCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEventNormalizer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IEventNormalizer)Activator.CreateInstance(t)!)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToArray());

    public static IReadOnlyList<IEventNormalizer> Normalizers => All.Value;

    public static IReadOnlyList<string> SourceNames => Normalizers.Select(n => n.Name).ToArray();

    public static IEventNormalizer? Find(string name) =>
        Normalizers.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The best-fitting normalizer for a record, or null when none recognizes it.</summary>
    public static IEventNormalizer? Detect(JsonElement record, RecordContext context)
    {
        IEventNormalizer? best = null;
        int bestScore = 0;
        foreach (var n in Normalizers)
        {
            var s = n.Score(record, context);
            if (s > bestScore) { best = n; bestScore = s; }
        }
        return best;
    }
}
