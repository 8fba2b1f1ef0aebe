namespace TaskFlow.MongoStandIn.Update;

/// <summary>Validates one <c>{$operator: {path: argument}}</c> entry and turns it into <see cref="UpdateOp"/>s.</summary>
internal static class UpdateOperatorParser
{
    public static void Parse(string op, string path, BsonValue arg, List<UpdateOp> ops)
    {
        if (path.Length == 0 || path.Split('.').Any(p => p.Length == 0))
        {
            throw new CommandError(56, "An empty update path is not valid.");
        }

        var parts = path.Split('.');
        foreach (var p in parts)
        {
            if (p.StartsWith("$[", StringComparison.Ordinal) && p != "$[]")
            {
                throw CommandError.NotImplemented("filtered positional operators ($[<identifier>]) and arrayFilters");
            }

            if (p.StartsWith('$') && p != "$" && p != "$[]")
            {
                throw new CommandError(ErrorCodes.BadValue, $"The dollar ($) prefixed field '{p}' in '{path}' is not valid for storage.");
            }
        }

        switch (op)
        {
            case "$inc":
            case "$mul":
                if (!BsonOrder.IsNumber(arg))
                {
                    throw CommandError.TypeMismatch($"Cannot {(op == "$inc" ? "increment" : "multiply")} with non-numeric argument: {{{path}: {BsonText.Format(arg)}}}");
                }

                break;
            case "$rename":
                if (arg.BsonType != BsonType.String)
                {
                    throw CommandError.BadValue($"The 'to' field for $rename must be a string: {path}: {BsonText.Format(arg)}");
                }

                if (arg.AsString == path)
                {
                    throw CommandError.BadValue($"The source and target field for $rename must differ: {path}: \"{arg.AsString}\"");
                }

                if (path.Contains('$', StringComparison.Ordinal) || arg.AsString.Contains('$', StringComparison.Ordinal))
                {
                    throw CommandError.BadValue("The source and target field for $rename must not contain positional operators");
                }

                ops.Add(new UpdateOp("$unset", path, parts, BsonNull.Value) { });
                ops.Add(new UpdateOp("$renameTo", arg.AsString, arg.AsString.Split('.'), new BsonString(path)));
                return;
            case "$pop":
                if (!BsonOrder.IsNumber(arg) || (BsonOrder.ToDouble(arg) != 1 && BsonOrder.ToDouble(arg) != -1))
                {
                    throw CommandError.FailedToParse($"$pop expects 1 or -1, found: {BsonText.Format(arg)}");
                }

                break;
            case "$currentDate":
                if (arg is BsonDocument cd)
                {
                    if (cd.ElementCount != 1 || !cd.TryGetValue("$type", out var t) || t.BsonType != BsonType.String || (t.AsString != "date" && t.AsString != "timestamp"))
                    {
                        throw CommandError.BadValue("The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
                    }
                }
                else if (arg.BsonType != BsonType.Boolean)
                {
                    throw CommandError.BadValue($"{path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({{$type: 'timestamp/date'}}).");
                }

                break;
            case "$push":
            case "$addToSet":
                if (arg is BsonDocument pd && pd.Contains("$each"))
                {
                    if (pd["$each"] is not BsonArray)
                    {
                        throw CommandError.BadValue($"The argument to $each in {op} must be an array but it was of type: {BsonText.TypeName(pd["$each"])}");
                    }

                    foreach (var m in pd.Names)
                    {
                        var allowed = op == "$push" ? new[] { "$each", "$slice", "$position", "$sort" } : ["$each"];
                        if (!allowed.Contains(m))
                        {
                            throw CommandError.BadValue($"Unrecognized clause in {op}: {m}");
                        }
                    }

                    if (pd.TryGetValue("$sort", out var sortSpec) && sortSpec is BsonDocument sd)
                    {
                        SortSpec.Parse(sd);
                    }
                }

                break;
            case "$pullAll":
                if (arg is not BsonArray)
                {
                    throw CommandError.BadValue($"$pullAll requires an array argument but was given a {BsonText.TypeName(arg)}");
                }

                break;
            case "$pull":
                if (arg is BsonDocument pullDoc)
                {
                    // validate the condition now
                    if (pullDoc.ElementCount > 0 && pullDoc.GetElement(0).Name.StartsWith('$'))
                    {
                        FilterCompiler.Compile(new BsonDocument("x", pullDoc));
                    }
                    else
                    {
                        FilterCompiler.Compile(pullDoc);
                    }
                }

                break;
            case "$bit":
                if (arg is not BsonDocument bd || bd.ElementCount == 0 || bd.Names.Any(n => n is not ("and" or "or" or "xor")) || bd.Values.Any(v => v.BsonType is not (BsonType.Int32 or BsonType.Int64)))
                {
                    throw CommandError.BadValue("The $bit modifier only supports 'and', 'or', and 'xor' with int or long arguments");
                }

                break;
        }

        ops.Add(new UpdateOp(op, path, parts, arg));
    }
}
