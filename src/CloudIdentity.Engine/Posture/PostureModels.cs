using System.Text.Json.Nodes;

namespace CloudIdentity.Engine.Posture;

public enum PostureStatus { Pass, Fail, Manual, Error }

/// <summary>What a check reads.</summary>
public enum PostureInput { CredentialReport, SecretsManagerSecret, KmsKey, KeyVault }

/// <summary>One verdict of one check on one resource.</summary>
public sealed record PostureResult
{
    public required string CheckId { get; init; }
    public required string Title { get; init; }
    /// <summary>Benchmark control, e.g. "CIS AWS 3.0 1.14" or "AWS FSBP SecretsManager.1".</summary>
    public required string ControlId { get; init; }
    public required PostureStatus Status { get; init; }
    public required string Resource { get; init; }
    public required string Reason { get; init; }
    public required string Remediation { get; init; }
    public DateTimeOffset EvaluatedAt { get; init; }
}

/// <summary>
/// A posture check: one class with its metadata. Found by <see cref="PostureCheckCatalog"/> through this
/// interface; there is no central list.
/// </summary>
public interface IPostureCheck
{
    string Id { get; }
    string Title { get; }
    string ControlId { get; }
    string Remediation { get; }
    PostureInput Input { get; }
    IEnumerable<PostureResult> Evaluate(PostureContext context);
}

/// <summary>Base class that fills the metadata into results.</summary>
public abstract class PostureCheck : IPostureCheck
{
    public abstract string Id { get; }
    public abstract string Title { get; }
    public abstract string ControlId { get; }
    public abstract string Remediation { get; }
    public abstract PostureInput Input { get; }
    public abstract IEnumerable<PostureResult> Evaluate(PostureContext context);

    protected PostureResult Result(PostureContext c, PostureStatus status, string resource, string reason) => new()
    {
        CheckId = Id, Title = Title, ControlId = ControlId, Status = status, Resource = resource, Reason = reason,
        Remediation = Remediation, EvaluatedAt = c.Now,
    };
}

/// <summary>The data and settings checks run on. Time comes from the injected <see cref="TimeProvider"/>.</summary>
public sealed class PostureContext(TimeProvider time)
{
    public TimeProvider Time { get; } = time;
    public DateTimeOffset Now => Time.GetUtcNow();
    public CredentialReport? CredentialReport { get; set; }
    public List<JsonObject> SecretsManagerSecrets { get; } = [];
    public List<JsonObject> KmsKeys { get; } = [];
    public List<JsonObject> KeyVaults { get; } = [];
    public int KeyRotationDays { get; init; } = 90;
    public int UnusedCredentialDays { get; init; } = 45;
    public int UnusedSecretDays { get; init; } = 90;
    public int KeyVaultRotationDays { get; init; } = 90;

    public bool Has(PostureInput input) => input switch
    {
        PostureInput.CredentialReport => CredentialReport is not null,
        PostureInput.SecretsManagerSecret => SecretsManagerSecrets.Count > 0,
        PostureInput.KmsKey => KmsKeys.Count > 0,
        _ => KeyVaults.Count > 0,
    };
}

/// <summary>Finds every <see cref="IPostureCheck"/> in the engine by reflection and runs them.</summary>
public static class PostureCheckCatalog
{
    private static readonly Lazy<IReadOnlyList<IPostureCheck>> AllChecks = new(() =>
        typeof(IPostureCheck).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPostureCheck).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IPostureCheck)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Id, StringComparer.Ordinal).ToList());

    public static IReadOnlyList<IPostureCheck> All => AllChecks.Value;

    /// <summary>Runs the checks whose input is present. A check that throws gives one Error result, never a Pass.</summary>
    public static IEnumerable<PostureResult> Run(PostureContext context, IEnumerable<IPostureCheck> checks)
    {
        foreach (var check in checks)
        {
            if (!context.Has(check.Input)) continue;
            List<PostureResult> results;
            try { results = check.Evaluate(context).ToList(); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results = [new PostureResult { CheckId = check.Id, Title = check.Title, ControlId = check.ControlId, Status = PostureStatus.Error,
                    Resource = check.Input.ToString(), Reason = $"the check failed on this data: {e.Message}", Remediation = check.Remediation, EvaluatedAt = context.Now }];
            }
            foreach (var r in results) yield return r;
        }
    }
}
