namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$unwind: one output document per element of an array field.</summary>
internal sealed class UnwindStage : Stage
{
    private readonly string[] _parts;
    private readonly string? _indexField;
    private readonly bool _preserve;

    private UnwindStage(string[] parts, string? indexField, bool preserve)
    {
        _parts = parts;
        _indexField = indexField;
        _preserve = preserve;
    }

    public static UnwindStage Compile(BsonValue arg)
    {
        string path;
        string? indexField = null;
        var preserve = false;
        if (arg.BsonType == BsonType.String)
        {
            path = arg.AsString;
        }
        else if (arg is BsonDocument d)
        {
            foreach (var e in d)
            {
                switch (e.Name)
                {
                    case "path":
                    case "includeArrayIndex":
                    case "preserveNullAndEmptyArrays":
                        break;
                    default:
                        throw new CommandError(28811, $"unrecognized option to $unwind stage: {e.Name}");
                }
            }

            path = d.TryGetValue("path", out var p) && p.BsonType == BsonType.String ? p.AsString : throw new CommandError(28812, "no path specified to $unwind stage");
            if (d.TryGetValue("includeArrayIndex", out var ix))
            {
                indexField = ix.AsString;
            }

            preserve = d.TryGetValue("preserveNullAndEmptyArrays", out var pr) && pr.ToBoolean();
        }
        else
        {
            throw new CommandError(15981, "expected either a string or an object as specification for $unwind stage");
        }

        if (!path.StartsWith('$') || path.Length < 2)
        {
            throw new CommandError(28818, $"path option to $unwind stage should be prefixed with a '$': {path}");
        }

        return new UnwindStage(path[1..].Split('.'), indexField, preserve);
    }

    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        foreach (var d in input)
        {
            var value = Paths.Get(d, _parts);
            if (value is BsonArray arr && arr.Count > 0)
            {
                for (var i = 0; i < arr.Count; i++)
                {
                    var copy = WithValue(d, arr[i]);
                    if (_indexField is not null)
                    {
                        copy[_indexField] = new BsonInt64(i);
                    }

                    yield return copy;
                }

                continue;
            }

            if (value is not null && value is not BsonArray && !value.IsBsonNull)
            {
                var copy = WithValue(d, value);
                if (_indexField is not null)
                {
                    copy[_indexField] = BsonNull.Value;
                }

                yield return copy;
                continue;
            }

            if (_preserve)
            {
                var copy = value is BsonArray ? WithValue(d, null) : new BsonDocument(d.Elements);
                if (_indexField is not null)
                {
                    copy[_indexField] = BsonNull.Value;
                }

                yield return copy;
            }
        }
    }

    private BsonDocument WithValue(BsonDocument d, BsonValue? value)
    {
        var copy = new BsonDocument(d.Elements);
        var target = copy;
        for (var i = 0; i < _parts.Length - 1; i++)
        {
            var child = (BsonDocument)target[_parts[i]];
            var childCopy = new BsonDocument(child.Elements);
            target[_parts[i]] = childCopy;
            target = childCopy;
        }

        if (value is null)
        {
            target.Remove(_parts[^1]);
        }
        else
        {
            target[_parts[^1]] = value;
        }

        return copy;
    }
}
