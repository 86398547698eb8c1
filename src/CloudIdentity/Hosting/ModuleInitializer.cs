using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace CloudIdentity.Commands.Hosting;

/// <summary>
/// Loads the engine, and through it every third-party assembly, from <c>Dependencies/</c> into a private
/// <see cref="AssemblyLoadContext"/>, so this module keeps working beside Az, Microsoft.Graph or AWS Tools
/// when they have already loaded other versions of the same libraries.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    internal const string EngineAssemblyName = "CloudIdentity.Engine";

    private static readonly string DependencyFolder = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "Dependencies");

    private static readonly DependencyLoadContext LoadContext = new(DependencyFolder);

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    public void OnRemove(PSModuleInfo module) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        // Only the engine is resolved here; everything it needs is resolved inside the private context.
        name.Name == EngineAssemblyName ? LoadContext.LoadFromAssemblyName(name) : null;
}
