namespace TaskFlow.MongoStandIn.Query;

internal static class TextSearch
{
    /// <summary>Index/query terms: lower-cased tokens without English stop words, stemmed (Porter2).</summary>
    public static IEnumerable<string> Tokenize(string text) =>
        RawTokens(text).Where(t => !EnglishStemmer.StopWords.Contains(t)).Select(EnglishStemmer.Stem);

    public static IEnumerable<string> RawTokens(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0)
            {
                yield return sb.ToString();
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }
}
