namespace TaskFlow.Gateway.Routing;

/// <summary>
/// The canonical spelling of a request path as Kestrel hands it over (percent-decoded except <c>%2F</c>, dot segments
/// removed): one slash between segments and none at the end (the root <c>/</c> stays). The documentation UI's own
/// paths (<c>/docs/...</c>) keep a trailing slash, which its page needs for relative links.
/// </summary>
public static class CanonicalPath
{
    private const string DocsPrefix = "/docs";

    public static CanonicalPathResult Canonicalize(string? path, out string canonical)
    {
        canonical = path ?? "";
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return CanonicalPathResult.Canonical;
        }

        if (IsAmbiguous(path))
        {
            return CanonicalPathResult.Rejected;
        }

        var collapsed = CollapseSlashes(path);
        var keepTrailingSlash = collapsed.StartsWith(DocsPrefix + "/", StringComparison.OrdinalIgnoreCase);
        if (!keepTrailingSlash && collapsed.Length > 1 && collapsed[^1] == '/')
        {
            collapsed = collapsed[..^1];
        }

        canonical = collapsed;
        return string.Equals(collapsed, path, StringComparison.Ordinal) ? CanonicalPathResult.Canonical : CanonicalPathResult.Rewritten;
    }

    /// <summary>
    /// Kestrel leaves <c>%2F</c> encoded (a decoded one would change the segments); a gateway that routes on one
    /// reading and a service that routes on another is how a limit is side-stepped, so such a path is refused, as is a
    /// backslash (some servers treat it as a separator) and any control character.
    /// </summary>
    private static bool IsAmbiguous(string path) =>
        path.Contains("%2F", StringComparison.OrdinalIgnoreCase) ||
        path.Contains("%5C", StringComparison.OrdinalIgnoreCase) ||
        path.Contains('\\', StringComparison.Ordinal) ||
        path.Any(char.IsControl);

    private static string CollapseSlashes(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal))
        {
            return path;
        }

        var builder = new System.Text.StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c != '/' || builder.Length == 0 || builder[^1] != '/')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
