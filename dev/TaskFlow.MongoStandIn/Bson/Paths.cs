namespace TaskFlow.MongoStandIn.Bson;

/// <summary>Dotted-path helpers with MongoDB's array traversal rules.</summary>
internal static class Paths
{
    public static string[] Split(string path) => path.Split('.');

    public static bool TryIndex(string part, out int index)
    {
        index = -1;
        if (part.Length == 0 || part.Length > 9)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        if (part.Length > 1 && part[0] == '0')
        {
            return false;
        }

        index = int.Parse(part, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// Collects the values reachable through a path. Arrays met on the way are traversed (each document
    /// element continues the path; a numeric component indexes). Terminal arrays are expanded into their
    /// elements when <paramref name="expandLeafArrays"/> is set (the array itself is then not added).
    /// Missing values are not added.
    /// </summary>
    public static void Collect(BsonValue current, string[] parts, int i, List<BsonValue> output, bool expandLeafArrays)
    {
        if (i == parts.Length)
        {
            if (expandLeafArrays && current is BsonArray leaf)
            {
                output.AddRange(leaf);
            }
            else
            {
                output.Add(current);
            }

            return;
        }

        switch (current)
        {
            case BsonDocument d:
                if (d.TryGetValue(parts[i], out var child))
                {
                    Collect(child, parts, i + 1, output, expandLeafArrays);
                }

                break;
            case BsonArray a:
                if (TryIndex(parts[i], out var idx))
                {
                    if (idx < a.Count)
                    {
                        Collect(a[idx], parts, i + 1, output, expandLeafArrays);
                    }

                    break;
                }

                foreach (var el in a)
                {
                    if (el is BsonDocument)
                    {
                        Collect(el, parts, i, output, expandLeafArrays);
                    }
                }

                break;
        }
    }

    public static List<BsonValue> Collect(BsonDocument doc, string[] parts, bool expandLeafArrays)
    {
        var list = new List<BsonValue>();
        Collect(doc, parts, 0, list, expandLeafArrays);
        return list;
    }

    /// <summary>
    /// The values at a path as sort keys and index keys see them: an array contributes its elements, an empty array
    /// contributes <c>undefined</c> (so it sorts and indexes apart from a missing field).
    /// </summary>
    public static List<BsonValue> CollectKeyValues(BsonDocument doc, string[] parts)
    {
        var keys = new List<BsonValue>();
        foreach (var value in Collect(doc, parts, expandLeafArrays: false))
        {
            if (value is not BsonArray array)
            {
                keys.Add(value);
            }
            else if (array.Count == 0)
            {
                keys.Add(BsonUndefined.Value);
            }
            else
            {
                keys.AddRange(array);
            }
        }

        return keys;
    }

    /// <summary>Gets the value at a path without fanning out over arrays (numeric components index arrays).</summary>
    public static BsonValue? Get(BsonValue current, string[] parts)
    {
        var v = current;
        foreach (var p in parts)
        {
            switch (v)
            {
                case BsonDocument d:
                    if (!d.TryGetValue(p, out var next))
                    {
                        return null;
                    }

                    v = next;
                    break;
                case BsonArray a:
                    if (!TryIndex(p, out var idx) || idx >= a.Count)
                    {
                        return null;
                    }

                    v = a[idx];
                    break;
                default:
                    return null;
            }
        }

        return v;
    }

    public static BsonValue? Get(BsonDocument doc, string path) => Get(doc, Split(path));

    /// <summary>Sets a value creating intermediate documents (used for upsert seeds and aggregation outputs).</summary>
    public static void SetCreating(BsonDocument doc, string[] parts, BsonValue value)
    {
        var d = doc;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (d.TryGetValue(parts[i], out var child) && child is BsonDocument cd)
            {
                d = cd;
            }
            else
            {
                var nd = new BsonDocument();
                d[parts[i]] = nd;
                d = nd;
            }
        }

        d[parts[^1]] = value;
    }
}
