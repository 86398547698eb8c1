using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudIdentity.Engine.Secrets;

namespace CloudIdentity.Commands;

/// <summary>Completes secret pattern ids from the built-in catalog.</summary>
public sealed class SecretPatternCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        PatternCatalog.BuiltIn.Patterns
            .Where(p => p.Id.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p.Id, p.Id, CompletionResultType.ParameterValue, p.Title));
}
