using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace CloudIdentity.Commands.Hosting;

/// <summary>
/// The module's private load context. It loads managed assemblies from the dependency folder unless the
/// runtime itself ships a copy that is at least as new, and probes native libraries in
/// <c>Dependencies/</c> and <c>Dependencies/runtimes/&lt;rid&gt;/native/</c>.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _folder;
    private readonly Dictionary<string, string> _platformAssemblies;

    public DependencyLoadContext(string folder) : base("CloudIdentity", isCollectible: false)
    {
        _folder = folder;
        _platformAssemblies = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
    }

    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(_folder, name.Name + ".dll");
        if (!File.Exists(path)) return null; // framework or PowerShell's own assembly: use the shared copy
        if (PlatformHasAtLeast(name.Name!, path)) return null;
        return LoadFromAssemblyPath(path);
    }

    private bool PlatformHasAtLeast(string simpleName, string ourPath)
    {
        if (!_platformAssemblies.TryGetValue(simpleName, out var platformPath)) return false;
        try
        {
            var platform = AssemblyName.GetAssemblyName(platformPath).Version;
            var ours = AssemblyName.GetAssemblyName(ourPath).Version;
            return platform is not null && ours is not null && platform >= ours;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException)
        {
            return false;
        }
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate)) return LoadUnmanagedDllFromPath(candidate);
        }
        return IntPtr.Zero;
    }

    private IEnumerable<string> NativeCandidates(string name)
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var names = new[] { name, name + ".dll", "lib" + name + ".so", name + ".so", "lib" + name + ".dylib", name + ".dylib" };
        foreach (var folder in new[] { _folder, Path.Combine(_folder, "runtimes", rid, "native"), Path.Combine(_folder, "runtimes", $"{os}-{arch}", "native") })
            foreach (var n in names)
                yield return Path.Combine(folder, n);
    }
}
