using System.Management.Automation;

namespace CloudIdentity.Commands;

/// <summary>
/// Resolves -Path (wildcards) and -LiteralPath through the PowerShell provider, expanding folders into the files
/// they hold (with -Recurse, the whole tree). Paths that do not resolve become PathNotFound errors.
/// </summary>
internal static class PathResolver
{
    /// <summary>Resolves one -Path value (wildcards allowed); a path that does not exist becomes a PathNotFound error.</summary>
    public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string path, Action<ErrorRecord> onError)
    {
        try
        {
            return cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException)
        {
            onError(new ErrorRecord(new FileNotFoundException($"Cannot find path '{path}' because it does not exist.", path), "PathNotFound", ErrorCategory.ObjectNotFound, path));
            return [];
        }
    }

    public static IEnumerable<string> ResolveFiles(PSCmdlet cmdlet, string[] paths, bool literal, bool recurse,
        string[] include, Action<ErrorRecord> onError)
    {
        foreach (var path in paths)
        {
            List<string> resolved = [];
            try
            {
                if (literal)
                {
                    resolved.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                }
                else
                {
                    resolved.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider));
                    if (resolved.Count == 0 && WildcardPattern.ContainsWildcardCharacters(path))
                        cmdlet.WriteWarning($"No file or folder matches '{path}'. If the name itself holds wildcard characters such as [ ], use -LiteralPath.");
                    if (provider.Name != "FileSystem")
                    {
                        onError(new ErrorRecord(new ArgumentException($"'{path}' is not a file-system path."), "PathNotFileSystem", ErrorCategory.InvalidArgument, path));
                        continue;
                    }
                }
            }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException)
            {
                onError(new ErrorRecord(new FileNotFoundException($"Cannot find path '{path}' because it does not exist.", path), "PathNotFound", ErrorCategory.ObjectNotFound, path));
                continue;
            }
            foreach (var item in resolved)
            {
                if (Directory.Exists(item))
                {
                    var option = recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                    var files = include.SelectMany(pattern => Directory.EnumerateFiles(item, pattern, option))
                        .Distinct(StringComparer.Ordinal)
                        .OrderBy(f => f, StringComparer.Ordinal);
                    foreach (var f in files) yield return f;
                }
                else if (File.Exists(item))
                {
                    yield return item;
                }
                else
                {
                    onError(new ErrorRecord(new FileNotFoundException($"Cannot find path '{item}' because it does not exist.", item), "PathNotFound", ErrorCategory.ObjectNotFound, item));
                }
            }
        }
    }
}
