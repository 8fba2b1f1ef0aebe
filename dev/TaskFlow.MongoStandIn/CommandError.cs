namespace TaskFlow.MongoStandIn;

/// <summary>An error that is answered to the client as <c>{ok: 0, errmsg, code, codeName}</c>.</summary>
internal sealed class CommandError : Exception
{
    public CommandError(int code, string message)
        : base(message)
    {
        Code = code;
        CodeName = ErrorCodes.NameOf(code);
    }

    public int Code { get; }

    public string CodeName { get; }

    /// <summary>Extra fields merged into the error document (e.g. keyPattern/keyValue for duplicate keys).</summary>
    public BsonDocument? Extra { get; init; }

    public BsonDocument ToErrorDocument()
    {
        var doc = new BsonDocument
        {
            { "ok", 0.0 },
            { "errmsg", Message },
            { "code", Code },
            { "codeName", CodeName },
        };
        if (Extra is not null)
        {
            foreach (var e in Extra)
            {
                doc[e.Name] = e.Value;
            }
        }

        return doc;
    }

    public BsonDocument ToWriteError(int index)
    {
        var doc = new BsonDocument { { "index", index }, { "code", Code } };
        if (Extra is not null)
        {
            foreach (var e in Extra)
            {
                doc[e.Name] = e.Value;
            }
        }

        doc["errmsg"] = Message;
        return doc;
    }

    public static CommandError BadValue(string message) => new(ErrorCodes.BadValue, message);

    public static CommandError FailedToParse(string message) => new(ErrorCodes.FailedToParse, message);

    public static CommandError NotImplemented(string what) =>
        new(ErrorCodes.NotImplemented, $"MongoStandIn does not support {what}");

    public static CommandError TypeMismatch(string message) => new(ErrorCodes.TypeMismatch, message);
}
