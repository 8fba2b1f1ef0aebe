namespace TaskFlow.MongoStandIn.Update;

/// <summary>Applies one update operator to the field <c>key</c> of <c>container</c>.</summary>
internal static class UpdateOperators
{
    private static string IdText(BsonDocument doc) => $"{{_id: {BsonText.Format(doc.GetValue("_id", BsonNull.Value))}}}";

    public static void Apply(BsonDocument doc, UpdateOp op, BsonValue container, string key)
    {
        var current = UpdatePaths.GetValue(container, key);
        var arg = op.Argument;
        switch (op.Operator)
        {
            case "$set":
            case "$setOnInsert":
                UpdatePaths.SetValue(container, key, arg.DeepClone());
                break;
            case "$unset":
                UpdatePaths.RemoveValue(container, key);
                break;
            case "$inc":
            case "$mul":
                if (current is null)
                {
                    UpdatePaths.SetValue(container, key, op.Operator == "$inc" ? arg : NumberMath.Zero(arg));
                }
                else if (!BsonOrder.IsNumber(current))
                {
                    throw CommandError.TypeMismatch($"Cannot apply {op.Operator} to a value of non-numeric type. {IdText(doc)} has the field '{key}' of non-numeric type {BsonText.TypeName(current)}");
                }
                else
                {
                    UpdatePaths.SetValue(container, key, op.Operator == "$inc" ? NumberMath.Add(current, arg) : NumberMath.Multiply(current, arg));
                }

                break;
            case "$min":
            case "$max":
                {
                    if (current is null)
                    {
                        UpdatePaths.SetValue(container, key, arg.DeepClone());
                        break;
                    }

                    var c = BsonOrder.Compare(arg, current);
                    if (op.Operator == "$min" ? c < 0 : c > 0)
                    {
                        UpdatePaths.SetValue(container, key, arg.DeepClone());
                    }

                    break;
                }

            case "$currentDate":
                {
                    var now = DateTime.UtcNow;
                    if (arg is BsonDocument t && t["$type"] == "timestamp")
                    {
                        UpdatePaths.SetValue(container, key, new BsonTimestamp((int)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1));
                    }
                    else
                    {
                        UpdatePaths.SetValue(container, key, new BsonDateTime(now));
                    }

                    break;
                }

            case "$push":
            case "$addToSet":
                {
                    BsonArray target;
                    if (current is null)
                    {
                        target = [];
                    }
                    else if (current is BsonArray existing)
                    {
                        target = existing;
                    }
                    else
                    {
                        throw CommandError.BadValue($"The field '{key}' must be an array but is of type {BsonText.TypeName(current)} in document {IdText(doc)}");
                    }

                    var items = arg is BsonDocument pd && pd.Contains("$each") ? pd["$each"].AsBsonArray.Select(v => v.DeepClone()).ToList() : [arg.DeepClone()];
                    if (op.Operator == "$addToSet")
                    {
                        foreach (var item in items)
                        {
                            if (!target.Any(x => BsonOrder.Compare(x, item) == 0))
                            {
                                target.Add(item);
                            }
                        }
                    }
                    else
                    {
                        var mods = arg as BsonDocument;
                        var hasEach = mods is not null && mods.Contains("$each");
                        var pos = target.Count;
                        if (hasEach && mods!.TryGetValue("$position", out var p))
                        {
                            var pi = p.ToInt32();
                            pos = pi < 0 ? Math.Max(0, target.Count + pi) : Math.Min(pi, target.Count);
                        }

                        for (var k = 0; k < items.Count; k++)
                        {
                            target.Insert(pos + k, items[k]);
                        }

                        if (hasEach && mods!.TryGetValue("$sort", out var sortSpec))
                        {
                            List<BsonValue> sorted;
                            if (sortSpec is BsonDocument sd)
                            {
                                var spec = SortSpec.Parse(sd);
                                sorted = spec is null ? target.ToList() : spec.Sort(target, v => v as BsonDocument ?? new BsonDocument());
                            }
                            else
                            {
                                var dir = sortSpec.ToInt32();
                                sorted = dir >= 0 ? target.OrderBy(v => v, BsonOrder.Comparer).ToList() : target.OrderByDescending(v => v, BsonOrder.Comparer).ToList();
                            }

                            target.Clear();
                            target.AddRange(sorted);
                        }

                        if (hasEach && mods!.TryGetValue("$slice", out var slice))
                        {
                            var n = slice.ToInt32();
                            var kept = n >= 0 ? target.Take(n).ToList() : target.Skip(Math.Max(0, target.Count + n)).ToList();
                            target.Clear();
                            target.AddRange(kept);
                        }
                    }

                    if (current is null)
                    {
                        UpdatePaths.SetValue(container, key, target);
                    }

                    break;
                }

            case "$pop":
                if (current is null)
                {
                    break;
                }

                if (current is not BsonArray popArr)
                {
                    throw CommandError.TypeMismatch($"Path '{op.Path}' contains an element of non-array type '{BsonText.TypeName(current)}'");
                }

                if (popArr.Count > 0)
                {
                    popArr.RemoveAt(BsonOrder.ToDouble(arg) > 0 ? popArr.Count - 1 : 0);
                }

                break;
            case "$pull":
            case "$pullAll":
                {
                    if (current is null)
                    {
                        break;
                    }

                    if (current is not BsonArray pullArr)
                    {
                        throw CommandError.BadValue("Cannot apply $pull to a non-array value");
                    }

                    Func<BsonValue, bool> remove;
                    if (op.Operator == "$pullAll")
                    {
                        var values = arg.AsBsonArray;
                        remove = v => values.Any(x => BsonOrder.Compare(x, v) == 0);
                    }
                    else if (arg is BsonDocument cond && cond.ElementCount > 0 && cond.GetElement(0).Name.StartsWith('$'))
                    {
                        var f = FilterCompiler.Compile(new BsonDocument("x", cond));
                        remove = v => f.Matches(new BsonDocument("x", v));
                    }
                    else if (arg is BsonDocument query)
                    {
                        var f = FilterCompiler.Compile(query);
                        remove = v => v is BsonDocument vd && f.Matches(vd);
                    }
                    else
                    {
                        remove = v => BsonOrder.Compare(v, arg) == 0;
                    }

                    for (var k = pullArr.Count - 1; k >= 0; k--)
                    {
                        if (remove(pullArr[k]))
                        {
                            pullArr.RemoveAt(k);
                        }
                    }

                    break;
                }

            case "$bit":
                {
                    var cur = current ?? new BsonInt32(0);
                    if (cur.BsonType is not (BsonType.Int32 or BsonType.Int64))
                    {
                        throw CommandError.BadValue($"Cannot apply $bit to a value of non-integral type. {IdText(doc)} has the field {key} of non-integer type {BsonText.TypeName(cur)}");
                    }

                    var value = cur.ToInt64();
                    var isLong = cur.BsonType == BsonType.Int64;
                    foreach (var e in arg.AsBsonDocument)
                    {
                        var m = e.Value.ToInt64();
                        isLong |= e.Value.BsonType == BsonType.Int64;
                        value = e.Name switch { "and" => value & m, "or" => value | m, _ => value ^ m };
                    }

                    UpdatePaths.SetValue(container, key, isLong ? new BsonInt64(value) : new BsonInt32((int)value));
                    break;
                }
        }
    }
}
