using System.Globalization;
using System.Text;

namespace CloudIdentity.Engine.Tokens.Dpop;

/// <summary>
/// The URI comparison RFC 9449 §4.3 asks for (RFC 3986 §6.2.2 syntax-based normalization): scheme and host
/// without case, default port dropped, percent-encoded unreserved characters decoded, other escapes upper-cased,
/// dot segments removed, an empty path read as "/", query and fragment dropped. The path stays case-sensitive
/// and a trailing slash stays significant.
/// </summary>
public static class HtuNormalizer
{
    public static string? Normalize(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri)) return null;
        var sep = uri.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0) return null;
        var scheme = uri[..sep].ToLowerInvariant();
        if (scheme is not ("http" or "https")) return null;
        var rest = uri[(sep + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var afterAuthority = end < 0 ? "" : rest[end..];
        if (authority.Length == 0 || authority.Contains('@')) return null;

        string host, port = "";
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && !authority[colon..].Contains(']'))
        {
            host = authority[..colon];
            port = authority[(colon + 1)..];
            if (port.Length > 0 && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)) return null;
            if (port.Length > 0) port = int.Parse(port, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) port = "";
        }
        else host = authority;
        host = host.ToLowerInvariant();
        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown) return null;

        var pathEnd = afterAuthority.IndexOfAny(['?', '#']);
        var path = pathEnd < 0 ? afterAuthority : afterAuthority[..pathEnd];
        var normalizedPath = NormalizePercent(path);
        if (normalizedPath is null) return null;
        normalizedPath = RemoveDotSegments(normalizedPath.Length == 0 ? "/" : normalizedPath);
        return $"{scheme}://{host}{(port.Length > 0 ? ":" + port : "")}{normalizedPath}";
    }

    private static string? NormalizePercent(string path)
    {
        var sb = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c != '%') { sb.Append(c); continue; }
            if (i + 2 >= path.Length || !Uri.IsHexDigit(path[i + 1]) || !Uri.IsHexDigit(path[i + 2])) return null;
            var value = (char)Convert.ToInt32(path.Substring(i + 1, 2), 16);
            if (char.IsAsciiLetterOrDigit(value) || value is '-' or '.' or '_' or '~') sb.Append(value);
            else sb.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
            i += 2;
        }
        return sb.ToString();
    }

    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains("/.", StringComparison.Ordinal)) return path;
        var output = new List<string>();
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var s = segments[i];
            var last = i == segments.Length - 1;
            if (s == ".") { if (last) output.Add(""); continue; }
            if (s == "..") { if (output.Count > 0) output.RemoveAt(output.Count - 1); if (last) output.Add(""); continue; }
            output.Add(s);
        }
        return "/" + string.Join('/', output);
    }
}
