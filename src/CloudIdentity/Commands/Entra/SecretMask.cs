using System.Runtime.InteropServices;
using System.Security;

namespace CloudIdentity.Commands.Entra;

/// <summary>Reads a SecureString only where a credential is built, (the engine masks secret text out of sign-in errors).</summary>
internal static class SecretMask
{
    public static string? Reveal(SecureString? value)
    {
        if (value is null) return null;
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(value);
        try { return Marshal.PtrToStringUni(ptr); }
        finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
    }
}
