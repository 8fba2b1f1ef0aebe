namespace TaskFlow.MongoStandIn.Query;

/// <summary>Compiled regular expressions by (pattern, MongoDB options), shared by filters and $regexMatch.</summary>
internal static class RegexCache
{
    private static readonly ConcurrentDictionary<(string, string), Regex> Compiled = new();

    public static Regex Get(string pattern, string options)
    {
        return Compiled.GetOrAdd((pattern, options), static key =>
        {
            var ro = RegexOptions.CultureInvariant;
            foreach (var c in key.Item2)
            {
                ro |= c switch
                {
                    'i' => RegexOptions.IgnoreCase,
                    'm' => RegexOptions.Multiline,
                    's' => RegexOptions.Singleline,
                    'x' => RegexOptions.IgnorePatternWhitespace,
                    'u' => RegexOptions.None,
                    _ => throw new CommandError(51108, $"invalid flag in regex options: {c}"),
                };
            }

            try
            {
                return new Regex(key.Item1, ro, TimeSpan.FromSeconds(5));
            }
            catch (ArgumentException ex)
            {
                throw new CommandError(51091, $"Regular expression is invalid: {ex.Message}");
            }
        });
    }
}
