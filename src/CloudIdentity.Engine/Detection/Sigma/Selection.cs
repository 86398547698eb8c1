using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace CloudIdentity.Engine.Detection.Sigma;

/// <summary>
/// A compiled search identifier of a Sigma detection: a map (fields ANDed), a list of maps (ORed),
/// or a keyword list (field-less search over every value of the record).
/// </summary>
internal sealed class Selection
{
    private readonly FieldMatcher[][] _alternatives; // OR of ANDs

    public string Name { get; }

    private Selection(string name, FieldMatcher[][] alternatives)
    {
        Name = name;
        _alternatives = alternatives;
    }

    /// <summary>The field names this selection tests (keyword searches have none).</summary>
    public IEnumerable<string> Fields => _alternatives.SelectMany(a => a).Select(m => m.Field).OfType<string>().Distinct(StringComparer.Ordinal);

    public bool Matches(JsonElement record)
    {
        foreach (var conjunction in _alternatives)
        {
            bool all = true;
            foreach (var m in conjunction)
            {
                if (!m.Matches(record)) { all = false; break; }
            }
            if (all) return true;
        }
        return false;
    }

    /// <summary>For the rule index: fields this selection requires to equal one of a set of values.</summary>
    public IReadOnlyList<Equality> RequiredEqualities() =>
        Equality.Any(_alternatives.Select(conjunction => Equality.All(conjunction
            .Where(m => m.EqualityValues is not null && m.Field is not null)
            .Select(m => (IReadOnlyList<Equality>)[new Equality(m.Field!, m.EqualityValues!)]))));

    public static Selection Compile(string name, YamlNode node, SigmaCompileOptions options)
    {
        switch (node)
        {
            case YamlMappingNode map:
                return new Selection(name, [CompileMap(map, options)]);
            case YamlSequenceNode seq when seq.Children.All(c => c is YamlMappingNode):
                return new Selection(name, seq.Children.Select(c => CompileMap((YamlMappingNode)c, options)).ToArray());
            case YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode):
                return new Selection(name, [[FieldMatcher.Compile(null, [], seq.Children.Select(c => YamlValues.Scalar((YamlScalarNode)c)).ToList(), options)]]);
            case YamlScalarNode scalar:
                return new Selection(name, [[FieldMatcher.Compile(null, [], [YamlValues.Scalar(scalar)], options)]]);
            default:
                throw new SigmaException($"Search identifier '{name}' mixes maps and plain values in one list.", "detection");
        }
    }

    private static FieldMatcher[] CompileMap(YamlMappingNode map, SigmaCompileOptions options)
    {
        var result = new List<FieldMatcher>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var parts = key.Split('|');
            var field = parts[0].Length == 0 ? null : parts[0];
            var modifiers = parts.Skip(1).ToArray();
            IReadOnlyList<object?> values = valueNode switch
            {
                YamlScalarNode s => [YamlValues.Scalar(s)],
                YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) => seq.Children.Select(c => YamlValues.Scalar((YamlScalarNode)c)).ToList(),
                YamlSequenceNode { Children.Count: 0 } => [],
                _ => throw new SigmaException($"Field '{key}' must have a value or a list of values, not a map.", "detection"),
            };
            result.Add(FieldMatcher.Compile(field, modifiers, values, options));
        }
        if (result.Count == 0) throw new SigmaException("An empty map cannot be a search identifier.", "detection");
        return result.ToArray();
    }
}
