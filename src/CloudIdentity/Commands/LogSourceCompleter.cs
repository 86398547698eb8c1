using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Commands;

/// <summary>Completes -Source with the names of the engine's log-source normalizers.</summary>
public sealed class LogSourceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NormalizerCatalog.SourceNames
            .Where(n => n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
}
