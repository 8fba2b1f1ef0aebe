namespace TaskFlow.MongoStandIn.Query;

/// <summary>The Snowball English (Porter2) stemmer and English stop words, as MongoDB's "english" text indexes use.</summary>
internal static class EnglishStemmer
{
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "below", "between", "both", "but", "by", "cannot", "could", "did", "do",
        "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "itself", "me", "more", "most", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or",
        "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such",
        "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "whom", "why", "with", "would", "you", "your", "yours", "yourself", "yourselves",
    };

    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie", ["idly"] = "idl",
        ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli", ["singly"] = "singl", ["sky"] = "sky",
        ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas", ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes",
    };

    private static readonly HashSet<string> Post1a = new(StringComparer.Ordinal)
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    };

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    public static string Stem(string word)
    {
        if (word.Length <= 2 || !word.All(c => c is >= 'a' and <= 'z' or '\''))
        {
            return word;
        }

        if (Exceptions.TryGetValue(word, out var ex))
        {
            return ex;
        }

        var w = new System.Text.StringBuilder(word.TrimStart('\''));
        if (w.Length == 0)
        {
            return word;
        }

        if (w[0] == 'y')
        {
            w[0] = 'Y';
        }

        for (var i = 1; i < w.Length; i++)
        {
            if (w[i] == 'y' && IsVowel(w[i - 1]))
            {
                w[i] = 'Y';
            }
        }

        var s = w.ToString();
        var r1 = RegionStart(s, 0, special: true);
        var r2 = RegionStart(s, r1, special: false);

        // step 0
        foreach (var suf in new[] { "'s'", "'s", "'" })
        {
            if (s.EndsWith(suf, StringComparison.Ordinal))
            {
                s = s[..^suf.Length];
                break;
            }
        }

        // step 1a
        if (s.EndsWith("sses", StringComparison.Ordinal))
        {
            s = s[..^2];
        }
        else if (s.EndsWith("ied", StringComparison.Ordinal) || s.EndsWith("ies", StringComparison.Ordinal))
        {
            s = s.Length > 4 ? s[..^2] : s[..^1];
        }
        else if (s.EndsWith("us", StringComparison.Ordinal) || s.EndsWith("ss", StringComparison.Ordinal))
        {
        }
        else if (s.EndsWith('s') && s.Length >= 2 && s[..^2].Any(IsVowel))
        {
            s = s[..^1];
        }

        if (Post1a.Contains(s))
        {
            return s;
        }

        // step 1b
        var step1bDone = false;
        foreach (var suf in new[] { "eedly", "eed" })
        {
            if (s.EndsWith(suf, StringComparison.Ordinal))
            {
                if (s.Length - suf.Length >= r1)
                {
                    s = s[..^suf.Length] + "ee";
                }

                step1bDone = true;
                break;
            }
        }

        if (!step1bDone)
        {
            foreach (var suf in new[] { "ingly", "edly", "ing", "ed" })
            {
                if (!s.EndsWith(suf, StringComparison.Ordinal))
                {
                    continue;
                }

                var stem = s[..^suf.Length];
                if (stem.Any(IsVowel))
                {
                    s = stem;
                    if (s.EndsWith("at", StringComparison.Ordinal) || s.EndsWith("bl", StringComparison.Ordinal) || s.EndsWith("iz", StringComparison.Ordinal))
                    {
                        s += "e";
                    }
                    else if (s.Length >= 2 && s[^1] == s[^2] && s[^1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't')
                    {
                        s = s[..^1];
                    }
                    else if (IsShort(s, r1))
                    {
                        s += "e";
                    }
                }

                break;
            }
        }

        // step 1c
        if (s.Length > 2 && (s[^1] == 'y' || s[^1] == 'Y') && !IsVowel(s[^2]))
        {
            s = s[..^1] + "i";
        }

        // step 2
        s = ReplaceInRegion(s, r1, Step2);
        if (s.EndsWith("ogi", StringComparison.Ordinal) && s.Length - 3 >= r1 && s.Length >= 4 && s[^4] == 'l')
        {
            s = s[..^1];
        }
        else if (s.EndsWith("li", StringComparison.Ordinal) && s.Length - 2 >= r1 && s.Length >= 3 && s[^3] is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't'
            && !Step2.Any(p => s.EndsWith(p.Suffix, StringComparison.Ordinal)))
        {
            s = s[..^2];
        }

        // step 3
        if (s.EndsWith("ative", StringComparison.Ordinal) && s.Length - 5 >= r2)
        {
            s = s[..^5];
        }
        else
        {
            s = ReplaceInRegion(s, r1, Step3);
        }

        // step 4
        foreach (var suf in Step4)
        {
            if (!s.EndsWith(suf, StringComparison.Ordinal))
            {
                continue;
            }

            if (s.Length - suf.Length >= r2)
            {
                if (suf == "ion")
                {
                    if (s.Length >= 4 && s[^4] is 's' or 't')
                    {
                        s = s[..^3];
                    }
                }
                else
                {
                    s = s[..^suf.Length];
                }
            }

            break;
        }

        // step 5
        if (s.EndsWith('e'))
        {
            var pos = s.Length - 1;
            if (pos >= r2 || (pos >= r1 && !EndsWithShortSyllable(s[..^1])))
            {
                s = s[..^1];
            }
        }
        else if (s.EndsWith("ll", StringComparison.Ordinal) && s.Length - 1 >= r2)
        {
            s = s[..^1];
        }

        return s.Replace('Y', 'y');
    }

    private static readonly (string Suffix, string Replacement)[] Step2 =
    [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"), ("tional", "tion"),
        ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"), ("alism", "al"), ("aliti", "al"),
        ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"),
        ("izer", "ize"), ("ator", "ate"), ("alli", "al"), ("bli", "ble"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3 =
    [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"), ("ful", string.Empty), ("ness", string.Empty),
    ];

    private static readonly string[] Step4 =
    [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic",
    ];

    private static string ReplaceInRegion(string s, int region, (string Suffix, string Replacement)[] rules)
    {
        foreach (var (suffix, replacement) in rules)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                return s.Length - suffix.Length >= region ? s[..^suffix.Length] + replacement : s;
            }
        }

        return s;
    }

    private static int RegionStart(string s, int from, bool special)
    {
        if (special)
        {
            foreach (var prefix in new[] { "gener", "commun", "arsen" })
            {
                if (s.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return prefix.Length;
                }
            }
        }

        for (var i = from + 1; i < s.Length; i++)
        {
            if (!IsVowel(s[i]) && IsVowel(s[i - 1]))
            {
                return i + 1;
            }
        }

        return s.Length;
    }

    private static bool EndsWithShortSyllable(string s)
    {
        if (s.Length == 2)
        {
            return IsVowel(s[0]) && !IsVowel(s[1]);
        }

        if (s.Length >= 3)
        {
            var c = s[^1];
            return !IsVowel(c) && c is not ('w' or 'x' or 'Y') && IsVowel(s[^2]) && !IsVowel(s[^3]);
        }

        return false;
    }

    private static bool IsShort(string s, int r1) => r1 >= s.Length && EndsWithShortSyllable(s);
}
