namespace TaskFlow.MongoStandIn.Commands;

internal sealed class CommandContext(StandInEngine engine, string database, BsonDocument command, int connectionId, bool isLegacy)
{
    /// <summary>Generic fields every command accepts (and ignores: no auth, sessions, replication).</summary>
    private static readonly HashSet<string> GenericFields =
    [
        "$db", "lsid", "$readPreference", "$clusterTime", "apiVersion", "apiStrict", "apiDeprecationErrors", "comment",
        "maxTimeMS", "readConcern", "writeConcern", "$audit", "$client", "mayBypassWriteBlocking", "$configServerState",
        "$gleStats", "$topologyTime", "$oplogQueryData", "$replData", "clientOperationKey", "$queryOptions", "tracking_info",
    ];

    public StandInEngine Engine { get; } = engine;

    public string Database { get; } = database;

    public BsonDocument Command { get; } = command;

    public int ConnectionId { get; } = connectionId;

    public bool IsLegacy { get; } = isLegacy;

    public string Name => Command.GetElement(0).Name;

    public BsonValue Argument => Command[0];

    /// <summary>Rejects fields the command does not know (BSON field 'x.y' is an unknown field).</summary>
    public void CheckFields(params string[] allowed)
    {
        foreach (var e in Command.Elements.Skip(1))
        {
            if (GenericFields.Contains(e.Name) || allowed.Contains(e.Name))
            {
                continue;
            }

            throw new CommandError(ErrorCodes.UnknownField, $"BSON field '{Name}.{e.Name}' is an unknown field.");
        }
    }

    /// <summary>The collection name of a command whose first field names it.</summary>
    public string CollectionName()
    {
        var v = Argument;
        if (v.BsonType != BsonType.String)
        {
            throw new CommandError(ErrorCodes.InvalidNamespace, $"collection name has invalid type {BsonText.TypeName(v)}");
        }

        StandInEngine.ValidateDatabaseName(Database);
        StandInEngine.ValidateCollectionName(Database, v.AsString);
        return v.AsString;
    }

    public BsonDocument? GetDocument(string name)
    {
        if (!Command.TryGetValue(name, out var v) || v.IsBsonNull)
        {
            return null;
        }

        return v as BsonDocument ?? throw new CommandError(ErrorCodes.TypeMismatch, $"BSON field '{Name}.{name}' is the wrong type '{BsonText.TypeName(v)}', expected type 'object'");
    }

    public bool GetBool(string name, bool defaultValue = false) =>
        Command.TryGetValue(name, out var v) && !v.IsBsonNull ? v.ToBoolean() : defaultValue;

    public long? GetLong(string name)
    {
        if (!Command.TryGetValue(name, out var v) || v.IsBsonNull)
        {
            return null;
        }

        if (!BsonOrder.IsNumber(v))
        {
            throw new CommandError(ErrorCodes.TypeMismatch, $"BSON field '{Name}.{name}' is the wrong type '{BsonText.TypeName(v)}', expected types '[long, int, decimal, double']");
        }

        return (long)BsonOrder.ToDouble(v);
    }

    public void RejectNonSimpleCollation(BsonValue? collation)
    {
        if (collation is null || collation.IsBsonNull)
        {
            return;
        }

        if (collation is BsonDocument d && d.GetValue("locale", BsonNull.Value) == "simple")
        {
            return;
        }

        throw CommandError.NotImplemented("collations other than {locale: \"simple\"}");
    }

    public void RejectLet()
    {
        if (Command.TryGetValue("let", out var let) && let is BsonDocument ld && ld.ElementCount > 0)
        {
            throw CommandError.NotImplemented("let variables");
        }
    }
}
