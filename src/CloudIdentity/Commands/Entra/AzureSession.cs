using CloudIdentity.Engine.Graph;

namespace CloudIdentity.Commands.Entra;

/// <summary>The module's Azure connection for this PowerShell session (one at a time; Connect replaces it).</summary>
internal static class AzureSession
{
    private static AzureConnection? _current;
    private static readonly object Lock = new();

    public static AzureConnection? Current { get { lock (Lock) return _current; } }

    public static void Set(AzureConnection connection)
    {
        AzureConnection? old;
        lock (Lock) { old = _current; _current = connection; }
        old?.Dispose();
    }

    public static AzureConnection? Clear()
    {
        AzureConnection? old;
        lock (Lock) { old = _current; _current = null; }
        old?.Dispose();
        return old;
    }
}
