using System.Management.Automation;
using CloudIdentity.Engine.Detection;

namespace CloudIdentity.Commands;

/// <summary>
/// Lets <c>-Rule</c> take, besides rule objects, a built-in rule id or the path of a Sigma rule file or folder,
/// as an administrator types them (<c>Invoke-CloudIdDetection -Rule ./my-rules</c>).
/// </summary>
internal sealed class RuleArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var items = LanguagePrimitives.GetEnumerable(inputData) is { } list && inputData is not string
            ? list.Cast<object?>()
            : [inputData];
        var rules = new List<DetectionRule>();
        foreach (var item in items)
        {
            var value = item is PSObject ps ? ps.BaseObject : item;
            switch (value)
            {
                case DetectionRule rule:
                    rules.Add(rule);
                    break;
                case string text:
                    rules.AddRange(Resolve(engineIntrinsics, text));
                    break;
                default:
                    return inputData; // let parameter binding report the type mismatch
            }
        }
        return rules.ToArray();
    }

    private static IEnumerable<DetectionRule> Resolve(EngineIntrinsics engine, string text)
    {
        var byId = BuiltInRules.Rules.Where(r => string.Equals(r.Id, text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byId.Count > 0) return byId;
        string path;
        try
        {
            path = engine.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text);
        }
        catch (Exception e) when (e is ItemNotFoundException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSArgumentException)
        {
            throw new ArgumentTransformationMetadataException($"'{text}' is neither a built-in rule id nor a rule file or folder: {e.Message}", e);
        }
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new ArgumentTransformationMetadataException($"'{text}' is neither a built-in rule id nor an existing rule file or folder.");
        var result = new RuleLoader().LoadPath(path);
        if (result.Problems.Count > 0)
            throw new ArgumentTransformationMetadataException(
                $"{result.Problems.Count} rule(s) in '{text}' could not be loaded (first: {result.Problems[0]}). Use Get-CloudIdDetectionRule -Path to load the others with warnings.");
        return result.Rules;
    }
}
