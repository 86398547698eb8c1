using System.Management.Automation;
using CloudIdentity.Engine.Posture;

namespace CloudIdentity.Commands;

/// <summary>
/// <para type="synopsis">Checks IAM credentials, AWS Secrets Manager, KMS and Azure Key Vault against CIS controls.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CloudIdPosture", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(PostureResult))]
public sealed class TestCloudIdPostureCommand : PSCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string PathSet = "Path";

    /// <summary>Credential report entries (Import-CloudIdCredentialReport), AWS Tools / Az objects, or exported JSON text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true, Position = 0)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>Exported files: credential report CSV, or JSON from the AWS or Azure CLI.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(PostureCheckCompleter))]
    [SupportsWildcards]
    public string[] CheckId { get; set; } = ["*"];

    /// <summary>The time the checks are evaluated at (default: now). Ages are measured up to this instant.</summary>
    [Parameter]
    public DateTimeOffset AsOf { get; set; }

    [Parameter]
    [ValidateRange(1, 3650)]
    public int KeyRotationDays { get; set; } = 90;

    [Parameter]
    [ValidateRange(1, 3650)]
    public int UnusedDays { get; set; } = 45;

    private PostureContext _context = null!;
    private readonly List<CredentialReportEntry> _entries = [];

    protected override void BeginProcessing()
    {
        TimeProvider time = MyInvocation.BoundParameters.ContainsKey(nameof(AsOf)) ? new FixedTimeProvider(AsOf) : TimeProvider.System;
        _context = new PostureContext(time) { KeyRotationDays = KeyRotationDays, UnusedCredentialDays = UnusedDays };
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            foreach (var p in Path)
            {
                IEnumerable<string> files;
                try { files = SessionState.Path.GetResolvedProviderPathFromPSPath(p, out _); }
                catch (ItemNotFoundException)
                {
                    WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find path '{p}'.", p), "PathNotFound", ErrorCategory.ObjectNotFound, p));
                    continue;
                }
                foreach (var file in files) AddText(File.ReadAllText(file), file);
            }
            return;
        }
        foreach (var input in InputObject)
        {
            switch (input?.BaseObject)
            {
                case null: continue;
                case CredentialReportEntry e: _entries.Add(e); continue;
                case string s: AddText(s, "pipeline text"); continue;
            }
            // Crossed into the engine as text: the engine may run on its own System.Text.Json (pwsh 7.4 loads the
            // module's newer copy into the private load context), so JSON node types must not cross the boundary.
            var json = PSObjectJson.Convert(input)?.ToJsonString();
            if (json is null || !PostureInputReader.TryAddJsonText(_context, json))
                WriteError(new ErrorRecord(new ArgumentException($"Input of type {input.BaseObject.GetType().FullName} is not a credential report entry, Secrets Manager secret, KMS key or Key Vault."),
                    "PostureInputNotRecognized", ErrorCategory.InvalidType, input));
        }
    }

    private void AddText(string text, string origin)
    {
        try
        {
            if (text.TrimStart('\uFEFF', ' ', '\r', '\n').StartsWith("user,", StringComparison.OrdinalIgnoreCase))
                _entries.AddRange(CredentialReportParser.Parse(text).Entries);
            else PostureInputReader.AddJsonText(_context, text, origin);
        }
        catch (FormatException e)
        {
            WriteError(new ErrorRecord(new InvalidDataException(e.Message, e), "PostureInputMalformed", ErrorCategory.InvalidData, origin));
        }
    }

    protected override void EndProcessing()
    {
        if (_entries.Count > 0) _context.CredentialReport = new CredentialReport(_entries, _entries.All(e => e.HasKeyUsageColumns));
        var checks = PostureCheckCatalog.All.Where(c => CheckId.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(c.Id))).ToList();
        WriteVerbose($"Evaluating {checks.Count} check(s) at {_context.Now:O} on {_entries.Count} credential report row(s), {_context.SecretsManagerSecrets.Count} secret(s), {_context.KmsKeys.Count} KMS key(s), {_context.KeyVaults.Count} vault(s).");
        foreach (var r in PostureCheckCatalog.Run(_context, checks)) WriteObject(r);
    }
}

/// <summary>A clock stopped at one instant (-AsOf).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
