using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudIdentity.Engine.Posture;

namespace CloudIdentity.Commands;

/// <summary>Completes posture check ids.</summary>
public sealed class PostureCheckCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        PostureCheckCatalog.All.Where(c => c.Id.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.Id, c.Id, CompletionResultType.ParameterValue, $"{c.ControlId}: {c.Title}"));
}
