using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudIdentity.Engine.Detection;

namespace CloudIdentity.Commands;

/// <summary>Completes rule ids of the built-in pack, showing each rule's title.</summary>
public sealed class RuleIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        return BuiltInRules.Rules
            .Where(r => r.Id.StartsWith(word, StringComparison.OrdinalIgnoreCase) || r.Title.Contains(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new CompletionResult(r.Id, r.Id, CompletionResultType.ParameterValue, r.Title));
    }
}
