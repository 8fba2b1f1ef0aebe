using System.Globalization;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>Builds a REST path with a query string from GraphQL arguments, leaving out the ones not given.</summary>
public static class RestQuery
{
    public static string Path(string path, params (string Name, object? Value)[] parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            var text = value switch
            {
                null => null,
                bool flag => flag ? "true" : "false",
                DateTime time => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (text is null)
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
            separator = '&';
        }

        return builder.ToString();
    }

    /// <summary>An id as one path segment: escaped, so no id can reach another route.</summary>
    public static string Segment(string id) => Uri.EscapeDataString(id);
}
