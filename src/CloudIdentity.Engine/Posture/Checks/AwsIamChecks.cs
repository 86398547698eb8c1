namespace CloudIdentity.Engine.Posture.Checks;

// CIS Amazon Web Services Foundations Benchmark v3.0.0, section 1 (IAM), the controls the credential report decides.

internal static class Report
{
    public static IEnumerable<CredentialReportEntry> Users(PostureContext c) => c.CredentialReport!.Entries.Where(e => !e.IsRoot);
    public static CredentialReportEntry? Root(PostureContext c) => c.CredentialReport!.Entries.FirstOrDefault(e => e.IsRoot);
    public static string Name(CredentialReportEntry e) => string.IsNullOrEmpty(e.Arn) ? e.User : e.Arn;
    public static int Days(TimeSpan t) => (int)Math.Floor(t.TotalDays);
}

public sealed class RootAccessKeysCheck : PostureCheck
{
    public override string Id => "aws-iam-root-access-keys";
    public override string Title => "No root user access key exists";
    public override string ControlId => "CIS AWS 3.0 1.4";
    public override string Remediation => "Sign in as root, open Security credentials, and delete the root user's access keys; use IAM roles instead.";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        var root = Report.Root(c);
        if (root is null) { yield return Result(c, PostureStatus.Manual, "<root_account>", "the report has no <root_account> row"); yield break; }
        var active = new[] { root.AccessKey1Active ? "access_key_1" : null, root.AccessKey2Active ? "access_key_2" : null }.OfType<string>().ToList();
        yield return active.Count > 0
            ? Result(c, PostureStatus.Fail, Report.Name(root), $"root has active access keys: {string.Join(", ", active)}")
            : Result(c, PostureStatus.Pass, Report.Name(root), "root has no active access key");
    }
}

public sealed class RootMfaCheck : PostureCheck
{
    public override string Id => "aws-iam-root-mfa";
    public override string Title => "MFA is enabled for the root user";
    public override string ControlId => "CIS AWS 3.0 1.5";
    public override string Remediation => "Sign in as root and assign an MFA device (preferably hardware) under Security credentials.";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        var root = Report.Root(c);
        if (root is null) { yield return Result(c, PostureStatus.Manual, "<root_account>", "the report has no <root_account> row"); yield break; }
        yield return root.MfaActive switch
        {
            true => Result(c, PostureStatus.Pass, Report.Name(root), "root has MFA"),
            false => Result(c, PostureStatus.Fail, Report.Name(root), "root has no MFA device"),
            null => Result(c, PostureStatus.Manual, Report.Name(root), "mfa_active is not given for root"),
        };
    }
}

public sealed class RootHardwareMfaCheck : PostureCheck
{
    public override string Id => "aws-iam-root-hardware-mfa";
    public override string Title => "Hardware MFA is enabled for the root user";
    public override string ControlId => "CIS AWS 3.0 1.6";
    public override string Remediation => "Replace a virtual MFA on root with a hardware or passkey device; confirm with aws iam list-virtual-mfa-devices.";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        var root = Report.Root(c);
        if (root is null) yield break;
        yield return root.MfaActive == false
            ? Result(c, PostureStatus.Fail, Report.Name(root), "root has no MFA device at all")
            : Result(c, PostureStatus.Manual, Report.Name(root), "the credential report does not say whether root's MFA is hardware or virtual");
    }
}

public sealed class ConsoleUserMfaCheck : PostureCheck
{
    public override string Id => "aws-iam-console-user-mfa";
    public override string Title => "MFA is enabled for every IAM user with a console password";
    public override string ControlId => "CIS AWS 3.0 1.10";
    public override string Remediation => "Assign an MFA device to the user (aws iam enable-mfa-device) or remove the console password.";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var u in Report.Users(c))
        {
            if (u.PasswordEnabled != true) continue; // no console password: not applicable
            yield return u.MfaActive switch
            {
                true => Result(c, PostureStatus.Pass, Report.Name(u), "console user has MFA"),
                false => Result(c, PostureStatus.Fail, Report.Name(u), "console password without MFA"),
                null => Result(c, PostureStatus.Manual, Report.Name(u), "mfa_active is not given"),
            };
        }
    }
}

public sealed class UnusedCredentialsCheck : PostureCheck
{
    public override string Id => "aws-iam-unused-credentials";
    public override string Title => "Credentials unused for 45 days or more are disabled";
    public override string ControlId => "CIS AWS 3.0 1.12";
    public override string Remediation => "Remove the unused console password (aws iam delete-login-profile) or deactivate the unused access key (aws iam update-access-key --status Inactive).";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        var limit = c.UnusedCredentialDays;
        foreach (var u in Report.Users(c))
        {
            if (u.PasswordEnabled == true)
            {
                // Never used (no_information): age from the password's creation (or the user's), never a fake date (BR-13).
                var since = u.PasswordLastUsed ?? u.PasswordLastChanged ?? u.UserCreationTime;
                var what = u.PasswordLastUsed is null ? "never used; created" : "last used";
                if (since is null) yield return Result(c, PostureStatus.Manual, $"{Report.Name(u)} (password)", "no usage or creation date for the password");
                else
                {
                    var days = Report.Days(c.Now - since.Value);
                    yield return Result(c, days >= limit ? PostureStatus.Fail : PostureStatus.Pass, $"{Report.Name(u)} (password)",
                        $"password {what} {days} days ago (limit {limit})");
                }
            }
            foreach (var (slot, active, used, rotated) in new[]
                     {
                         ("access_key_1", u.AccessKey1Active, u.AccessKey1LastUsedDate, u.AccessKey1LastRotated),
                         ("access_key_2", u.AccessKey2Active, u.AccessKey2LastUsedDate, u.AccessKey2LastRotated),
                     })
            {
                if (!active) continue;
                var resource = $"{Report.Name(u)} ({slot})";
                if (!u.HasKeyUsageColumns) { yield return Result(c, PostureStatus.Manual, resource, "this report has no access_key_N_last_used_date column"); continue; }
                var since = used ?? rotated ?? u.UserCreationTime;
                if (since is null) { yield return Result(c, PostureStatus.Manual, resource, "no usage or creation date for the key"); continue; }
                var days = Report.Days(c.Now - since.Value);
                var what = used is null ? "never used; created" : "last used";
                yield return Result(c, days >= limit ? PostureStatus.Fail : PostureStatus.Pass, resource, $"key {what} {days} days ago (limit {limit})");
            }
        }
    }
}

public sealed class SingleActiveKeyCheck : PostureCheck
{
    public override string Id => "aws-iam-single-active-key";
    public override string Title => "There is only one active access key per IAM user";
    public override string ControlId => "CIS AWS 3.0 1.13";
    public override string Remediation => "Deactivate and delete the key no longer in use (aws iam update-access-key / delete-access-key).";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var u in Report.Users(c))
        {
            if (!u.AccessKey1Active && !u.AccessKey2Active) continue;
            yield return u.AccessKey1Active && u.AccessKey2Active
                ? Result(c, PostureStatus.Fail, Report.Name(u), "two active access keys")
                : Result(c, PostureStatus.Pass, Report.Name(u), "one active access key");
        }
    }
}

public sealed class AccessKeyRotationCheck : PostureCheck
{
    public override string Id => "aws-iam-access-key-rotation";
    public override string Title => "Active access keys are rotated every 90 days or less";
    public override string ControlId => "CIS AWS 3.0 1.14";
    public override string Remediation => "Create a new access key, move workloads to it, then deactivate and delete the old one; prefer roles over long-lived keys.";
    public override PostureInput Input => PostureInput.CredentialReport;

    public override IEnumerable<PostureResult> Evaluate(PostureContext c)
    {
        foreach (var u in c.CredentialReport!.Entries)
        {
            foreach (var (slot, active, rotated) in new[] { ("access_key_1", u.AccessKey1Active, u.AccessKey1LastRotated), ("access_key_2", u.AccessKey2Active, u.AccessKey2LastRotated) })
            {
                if (!active) continue; // inactive keys are not rotation findings (BR-15)
                var resource = $"{Report.Name(u)} ({slot})";
                if (rotated is null) { yield return Result(c, PostureStatus.Manual, resource, "active key without a last-rotated date"); continue; }
                var days = Report.Days(c.Now - rotated.Value);
                yield return Result(c, days > c.KeyRotationDays ? PostureStatus.Fail : PostureStatus.Pass, resource,
                    $"key is {days} days old (limit {c.KeyRotationDays})");
            }
        }
    }
}
