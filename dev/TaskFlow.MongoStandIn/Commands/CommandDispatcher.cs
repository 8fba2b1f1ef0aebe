using TaskFlow.MongoStandIn.Commands.Crud;

namespace TaskFlow.MongoStandIn.Commands;

internal sealed class CommandDispatcher
{
    private readonly Dictionary<string, Func<CommandContext, Task<BsonDocument>>> _handlers;
    private readonly StandInEngine _engine;

    public CommandDispatcher(StandInEngine engine, MongoStandInServer server)
    {
        _engine = engine;
        var admin = new AdminCommands(server);
        var indexes = new IndexCommands();
        _handlers = new Dictionary<string, Func<CommandContext, Task<BsonDocument>>>(StringComparer.Ordinal)
        {
            ["hello"] = admin.Hello,
            ["isMaster"] = admin.Hello,
            ["ismaster"] = admin.Hello,
            ["ping"] = Sync(_ => new BsonDocument("ok", 1.0)),
            ["buildInfo"] = Sync(admin.BuildInfo),
            ["buildinfo"] = Sync(admin.BuildInfo),
            ["serverStatus"] = Sync(admin.ServerStatus),
            ["hostInfo"] = Sync(admin.HostInfo),
            ["whatsmyuri"] = Sync(_ => new BsonDocument { { "you", "127.0.0.1:0" }, { "ok", 1.0 } }),
            ["connectionStatus"] = Sync(_ => new BsonDocument { { "authInfo", new BsonDocument { { "authenticatedUsers", new BsonArray() }, { "authenticatedUserRoles", new BsonArray() } } }, { "ok", 1.0 } }),
            ["getCmdLineOpts"] = Sync(_ => new BsonDocument { { "argv", new BsonArray(Environment.GetCommandLineArgs()) }, { "parsed", new BsonDocument() }, { "ok", 1.0 } }),
            ["endSessions"] = Sync(_ => new BsonDocument("ok", 1.0)),
            ["killSessions"] = Sync(_ => new BsonDocument("ok", 1.0)),
            ["refreshSessions"] = Sync(_ => new BsonDocument("ok", 1.0)),
            ["startSession"] = Sync(_ => new BsonDocument { { "id", new BsonDocument("id", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard)) }, { "timeoutMinutes", 30 }, { "ok", 1.0 } }),
            ["listDatabases"] = Sync(admin.ListDatabases),
            ["listCollections"] = Sync(admin.ListCollections),
            ["create"] = admin.Create,
            ["drop"] = admin.Drop,
            ["dropDatabase"] = admin.DropDatabase,
            ["dbStats"] = Sync(admin.DbStats),
            ["collStats"] = Sync(admin.CollStats),
            ["standInStats"] = Sync(admin.StandInStats),
            ["commitTransaction"] = Sync(_ => throw NoTransactions()),
            ["abortTransaction"] = Sync(_ => throw NoTransactions()),
            ["find"] = Sync(FindCommand.Find),
            ["getMore"] = Sync(CursorCommands.GetMore),
            ["killCursors"] = Sync(CursorCommands.KillCursors),
            ["insert"] = InsertCommand.Insert,
            ["update"] = UpdateCommand.Update,
            ["delete"] = DeleteCommand.Delete,
            ["findAndModify"] = FindAndModifyCommand.FindAndModify,
            ["findandmodify"] = FindAndModifyCommand.FindAndModify,
            ["count"] = Sync(CountCommand.Count),
            ["distinct"] = Sync(DistinctCommand.Distinct),
            ["aggregate"] = Sync(AggregateCommand.Aggregate),
            ["explain"] = Sync(ExplainCommand.Explain),
            ["createIndexes"] = indexes.CreateIndexes,
            ["listIndexes"] = Sync(indexes.ListIndexes),
            ["dropIndexes"] = indexes.DropIndexes,
            ["deleteIndexes"] = indexes.DropIndexes,
        };
    }

    public static bool IsHandshake(BsonDocument command) =>
        command.ElementCount > 0 && command.GetElement(0).Name is "hello" or "isMaster" or "ismaster";

    private static CommandError NoTransactions() =>
        new(ErrorCodes.IllegalOperation, "Transaction numbers are only allowed on a replica set member or mongos");

    private static Func<CommandContext, Task<BsonDocument>> Sync(Func<CommandContext, BsonDocument> f) => ctx => Task.FromResult(f(ctx));

    public async Task<BsonDocument> ExecuteAsync(CommandContext context)
    {
        try
        {
            var command = context.Command;
            if (command.ElementCount == 0)
            {
                throw new CommandError(ErrorCodes.FailedToParse, "empty command document");
            }

            if (!context.IsLegacy && context.Database.Length == 0)
            {
                throw new CommandError(40571, "OP_MSG requests require a $db argument");
            }

            if (command.Contains("txnNumber") || command.Contains("startTransaction") || command.Contains("autocommit"))
            {
                throw NoTransactions();
            }

            var name = context.Name;
            if (!_handlers.TryGetValue(name, out var handler))
            {
                throw new CommandError(ErrorCodes.CommandNotFound, $"no such command: '{name}'");
            }

            return await handler(context).ConfigureAwait(false);
        }
        catch (CommandError e)
        {
            return e.ToErrorDocument();
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or FormatException or OverflowException or KeyNotFoundException or InvalidOperationException)
        {
            // malformed argument types surface as casts from MongoDB.Bson
            return new CommandError(ErrorCodes.TypeMismatch, $"invalid command argument: {e.Message}").ToErrorDocument();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new CommandError(ErrorCodes.InternalError, e.Message).ToErrorDocument();
        }
    }

    public StandInEngine Engine => _engine;
}
