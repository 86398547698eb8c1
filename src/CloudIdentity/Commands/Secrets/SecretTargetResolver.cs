using System.Management.Automation;

namespace CloudIdentity.Commands;

/// <summary>
/// Resolves -Path/-LiteralPath into files to scan. Folders give their files (-Recurse: the whole tree); an OCI image
/// layout folder is one target. -Exclude wildcards drop files and prune folders by name or relative path.
/// </summary>
internal static class SecretTargetResolver
{
    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal, bool recurse, string[] exclude, Action<ErrorRecord> onError)
    {
        var patterns = exclude.Select(e => WildcardPattern.Get(e, WildcardOptions.IgnoreCase)).ToList();
        foreach (var path in paths)
        {
            List<string> resolved = [];
            try
            {
                if (literal) resolved.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                else
                {
                    resolved.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider));
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
                if (File.Exists(item)) { if (!Excluded(patterns, Path.GetFileName(item), Path.GetFileName(item))) yield return item; }
                else if (Directory.Exists(item)) foreach (var f in Walk(item, item, recurse, patterns)) yield return f;
                else onError(new ErrorRecord(new FileNotFoundException($"Cannot find path '{item}' because it does not exist.", item), "PathNotFound", ErrorCategory.ObjectNotFound, item));
            }
        }
    }

    private static IEnumerable<string> Walk(string root, string dir, bool recurse, List<WildcardPattern> patterns)
    {
        if (File.Exists(Path.Combine(dir, "oci-layout")) && File.Exists(Path.Combine(dir, "index.json"))) { yield return dir; yield break; }
        IEnumerable<string> files, dirs;
        try
        {
            files = Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).ToList();
            dirs = recurse ? Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal).ToList() : [];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { yield break; }
        foreach (var f in files)
            if (!Excluded(patterns, Path.GetFileName(f), Rel(root, f))) yield return f;
        foreach (var d in dirs)
        {
            if (Excluded(patterns, Path.GetFileName(d), Rel(root, d))) continue;
            if (new DirectoryInfo(d).LinkTarget is not null) continue; // do not follow folder links (loops)
            foreach (var f in Walk(root, d, recurse, patterns)) yield return f;
        }
    }

    private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static bool Excluded(List<WildcardPattern> patterns, string name, string rel) => patterns.Any(p => p.IsMatch(name) || p.IsMatch(rel));
}
