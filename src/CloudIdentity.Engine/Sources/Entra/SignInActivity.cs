using System.Text.Json;
using CloudIdentity.Engine.Sources.Azure;

namespace CloudIdentity.Engine.Sources.Entra;

/// <summary>
/// A user's last sign-in from Graph's <c>signInActivity</c>: <c>lastSignInDateTime</c> covers interactive sign-ins
/// only, so the later of it and <c>lastNonInteractiveSignInDateTime</c> (and <c>lastSuccessfulSignInDateTime</c>) is the
/// user's real last activity. Null when none is present (never signed in, or not reported).
/// </summary>
public static class SignInActivity
{
    private static readonly string[] Fields = ["lastSignInDateTime", "lastNonInteractiveSignInDateTime", "lastSuccessfulSignInDateTime"];

    public static DateTimeOffset? LastActivity(JsonElement userOrActivity)
    {
        var activity = AzureFields.TryPath(userOrActivity, "signInActivity", out var a) ? a : userOrActivity;
        DateTimeOffset? last = null;
        foreach (var name in Fields)
        {
            if (AzureFields.Find(activity, name, out var v) && AzureTimestamps.Parse(v) is { } t && (last is null || t > last)) last = t;
        }
        return last;
    }
}
