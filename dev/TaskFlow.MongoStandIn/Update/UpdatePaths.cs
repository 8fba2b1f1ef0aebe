namespace TaskFlow.MongoStandIn.Update;

/// <summary>Walks and edits update paths: positional <c>$</c> and <c>$[]</c>, array indexes, created parents.</summary>
internal static class UpdatePaths
{

    public static bool HasArrayOnPath(BsonDocument doc, string[] parts)
    {
        BsonValue v = doc;
        foreach (var p in parts)
        {
            if (v is BsonArray)
            {
                return true;
            }

            if (v is not BsonDocument d || !d.TryGetValue(p, out var next))
            {
                return false;
            }

            v = next;
        }

        return false;
    }

    public static bool SameValue(BsonValue a, BsonValue b) => a.BsonType == b.BsonType && BsonOrder.Compare(a, b) == 0;

    public static string[] ResolvePositional(string[] parts, int? position)
    {
        if (!parts.Contains("$"))
        {
            return parts;
        }

        if (position is null)
        {
            throw CommandError.BadValue("The positional operator did not find the match needed from the query.");
        }

        var r = (string[])parts.Clone();
        var replaced = false;
        for (var i = 0; i < r.Length; i++)
        {
            if (r[i] == "$")
            {
                if (replaced)
                {
                    throw CommandError.BadValue("Too many positional (i.e. '$') elements found in path '" + string.Join('.', parts) + "'");
                }

                r[i] = position.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                replaced = true;
            }
        }

        return r;
    }

    private static string Describe(BsonValue v) => v is BsonDocument d ? BsonText.Format(d) : BsonText.Format(v);

    /// <summary>Walks to the container of the last path component and invokes <paramref name="action"/>.</summary>
    public static void Navigate(BsonDocument root, BsonValue current, string[] parts, int i, bool create, Action<BsonValue, string> action)
    {
        var part = parts[i];
        if (i == parts.Length - 1)
        {
            if (part == "$[]")
            {
                if (current is not BsonArray all)
                {
                    throw CommandError.BadValue($"The path '{string.Join('.', parts[..(i + 1)])}' must exist in the document in order to apply array updates.");
                }

                for (var k = 0; k < all.Count; k++)
                {
                    action(all, k.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                return;
            }

            if (current is BsonArray arr && !Paths.TryIndex(part, out _))
            {
                if (!create)
                {
                    return;
                }

                throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{part}' in element {{{parts[Math.Max(0, i - 1)]}: {Describe(arr)}}}");
            }

            action(current, part);
            return;
        }

        switch (current)
        {
            case BsonArray arr when part == "$[]":
                foreach (var el in arr)
                {
                    if (el is BsonDocument or BsonArray)
                    {
                        Navigate(root, el, parts, i + 1, create, action);
                    }
                    else if (create)
                    {
                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{parts[i + 1]}' in element {{{part}: {Describe(el)}}}");
                    }
                }

                return;
            case BsonDocument d:
                {
                    if (!d.TryGetValue(part, out var child))
                    {
                        if (!create)
                        {
                            return;
                        }

                        child = new BsonDocument();
                        d[part] = child;
                    }
                    else if (child is not (BsonDocument or BsonArray))
                    {
                        if (!create)
                        {
                            return;
                        }

                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{parts[i + 1]}' in element {{{part}: {Describe(child)}}}");
                    }

                    Navigate(root, child, parts, i + 1, create, action);
                    return;
                }

            case BsonArray arr:
                {
                    if (!Paths.TryIndex(part, out var idx))
                    {
                        if (!create)
                        {
                            return;
                        }

                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{part}' in element {{{parts[Math.Max(0, i - 1)]}: {Describe(arr)}}}");
                    }

                    if (idx >= arr.Count)
                    {
                        if (!create)
                        {
                            return;
                        }

                        while (arr.Count < idx)
                        {
                            arr.Add(BsonNull.Value);
                        }

                        arr.Add(new BsonDocument());
                    }

                    var child = arr[idx];
                    if (child is not (BsonDocument or BsonArray))
                    {
                        if (!create)
                        {
                            return;
                        }

                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{parts[i + 1]}' in element {{{part}: {Describe(child)}}}");
                    }

                    Navigate(root, child, parts, i + 1, create, action);
                    return;
                }
        }
    }

    public static BsonValue? GetValue(BsonValue container, string key)
    {
        if (container is BsonDocument d)
        {
            return d.TryGetValue(key, out var v) ? v : null;
        }

        if (container is BsonArray a && Paths.TryIndex(key, out var idx) && idx < a.Count)
        {
            return a[idx];
        }

        return null;
    }

    public static void SetValue(BsonValue container, string key, BsonValue value)
    {
        if (container is BsonDocument d)
        {
            d[key] = value;
            return;
        }

        if (container is BsonArray a && Paths.TryIndex(key, out var idx))
        {
            while (a.Count <= idx)
            {
                a.Add(BsonNull.Value);
            }

            a[idx] = value;
        }
    }

    public static void RemoveValue(BsonValue container, string key)
    {
        if (container is BsonDocument d)
        {
            d.Remove(key);
        }
        else if (container is BsonArray a && Paths.TryIndex(key, out var idx) && idx < a.Count)
        {
            a[idx] = BsonNull.Value;
        }
    }
}
