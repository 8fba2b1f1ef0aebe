namespace TaskFlow.MongoStandIn.Query;

/// <summary>A parsed <c>$text: {$search}</c> string: terms (any matches), "phrases" (all required), -negations.</summary>
internal sealed class TextQuery
{
    private TextQuery(List<string> terms, List<string> phrases, List<string> negated)
    {
        Terms = terms;
        Phrases = phrases;
        Negated = negated;
    }

    public List<string> Terms { get; }

    public List<string> Phrases { get; }

    public List<string> Negated { get; }

    public static TextQuery Parse(string search)
    {
        var terms = new List<string>();
        var phrases = new List<string>();
        var negated = new List<string>();
        var i = 0;
        while (i < search.Length)
        {
            var c = search[i];
            if (c == '"')
            {
                var end = search.IndexOf('"', i + 1);
                if (end < 0)
                {
                    end = search.Length;
                }

                var phrase = search[(i + 1)..end].Trim();
                if (phrase.Length > 0)
                {
                    phrases.Add(phrase.ToLowerInvariant());
                    terms.AddRange(TextSearch.Tokenize(phrase));
                }

                i = end + 1;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < search.Length && !char.IsWhiteSpace(search[i]) && search[i] != '"')
            {
                i++;
            }

            var word = search[start..i];
            if (word.StartsWith('-') && word.Length > 1)
            {
                negated.AddRange(TextSearch.Tokenize(word[1..]));
            }
            else
            {
                terms.AddRange(TextSearch.Tokenize(word));
            }
        }

        return new TextQuery(terms.Distinct(StringComparer.Ordinal).ToList(), phrases, negated);
    }

    /// <summary>Returns the score when the document matches, otherwise null.</summary>
    public double? Score(BsonDocument doc, TextIndexInfo index)
    {
        var score = 0.0;
        var anyTerm = false;
        var fullText = new StringBuilder();
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (path, weight) in index.Fields)
        {
            var values = new List<BsonValue>();
            if (path == "$**")
            {
                CollectAllStrings(doc, values);
            }
            else
            {
                Paths.Collect(doc, Paths.Split(path), 0, values, expandLeafArrays: true);
            }

            foreach (var v in values)
            {
                if (v.BsonType != BsonType.String)
                {
                    continue;
                }

                fullText.Append(v.AsString.ToLowerInvariant()).Append('\n');
                foreach (var tok in TextSearch.Tokenize(v.AsString))
                {
                    counts[tok] = counts.GetValueOrDefault(tok) + weight;
                }
            }
        }

        foreach (var n in Negated)
        {
            if (counts.ContainsKey(n))
            {
                return null;
            }
        }

        var text = fullText.ToString();
        foreach (var p in Phrases)
        {
            if (!text.Contains(p, StringComparison.Ordinal))
            {
                return null;
            }
        }

        foreach (var t in Terms)
        {
            if (counts.TryGetValue(t, out var w))
            {
                anyTerm = true;
                score += w;
            }
        }

        if (Phrases.Count > 0)
        {
            return score + 1;
        }

        return anyTerm ? score : null;
    }

    private static void CollectAllStrings(BsonValue v, List<BsonValue> output)
    {
        switch (v)
        {
            case BsonDocument d:
                foreach (var e in d)
                {
                    CollectAllStrings(e.Value, output);
                }

                break;
            case BsonArray a:
                foreach (var e in a)
                {
                    CollectAllStrings(e, output);
                }

                break;
            default:
                if (v.BsonType == BsonType.String)
                {
                    output.Add(v);
                }

                break;
        }
    }
}
