using System.Diagnostics;

namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>explain of find, count, distinct and aggregate.</summary>
internal static class ExplainCommand
{
    public static BsonDocument Explain(CommandContext ctx)
    {
        ctx.CheckFields("verbosity");
        if (ctx.Argument is not BsonDocument inner || inner.ElementCount == 0)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "explain command requires a nested object");
        }

        var verbosity = ctx.Command.GetValue("verbosity", "allPlansExecution").AsString;
        var innerDoc = new BsonDocument(inner.Elements.Where(e => e.Name != "$db"));
        var innerCtx = new CommandContext(ctx.Engine, ctx.Database, innerDoc, ctx.ConnectionId, ctx.IsLegacy);
        var sw = Stopwatch.StartNew();
        QueryStats stats;
        int nReturned;
        BsonDocument? filter;
        string coll;
        switch (innerCtx.Name)
        {
            case "find":
                {
                    var spec = FindCommand.Parse(innerCtx);
                    var (docs, s) = FindCommand.Execute(innerCtx, spec);
                    stats = s;
                    nReturned = docs.Count;
                    filter = spec.Filter;
                    coll = spec.Collection;
                    break;
                }

            case "count":
            case "distinct":
                {
                    coll = innerCtx.CollectionName();
                    filter = innerCtx.GetDocument("query");
                    var (hits, s, _) = QueryRunner.RunQuery(innerCtx, coll, filter, innerDoc.GetValue("hint", BsonNull.Value), 0);
                    stats = s;
                    nReturned = hits.Count;
                    break;
                }

            case "aggregate":
                {
                    coll = innerCtx.CollectionName();
                    var pipeline = innerDoc.GetValue("pipeline", new BsonArray()).AsBsonArray;
                    var (docs, s) = AggregateCommand.Execute(innerCtx, coll, pipeline);
                    stats = s;
                    nReturned = docs.Count;
                    filter = pipeline.Count > 0 && pipeline[0] is BsonDocument first && first.Contains("$match") ? first["$match"].AsBsonDocument : null;
                    break;
                }

            default:
                throw CommandError.NotImplemented($"explain of '{innerCtx.Name}'");
        }

        var c = ctx.Engine.GetCollection(ctx.Database, coll);
        var plan = Plan(stats, filter, c);
        var result = new BsonDocument
        {
            { "explainVersion", "1" },
            {
                "queryPlanner", new BsonDocument
                {
                    { "namespace", ctx.Database + "." + coll },
                    { "parsedQuery", filter ?? new BsonDocument() },
                    { "winningPlan", plan },
                    { "rejectedPlans", new BsonArray() },
                }
            },
        };
        if (verbosity != "queryPlanner")
        {
            var es = ExecutionStats(stats, nReturned);
            es["executionTimeMillis"] = (int)sw.ElapsedMilliseconds;
            es["executionStages"] = plan;
            result["executionStats"] = es;
        }

        result["command"] = innerDoc;
        result["serverInfo"] = new BsonDocument { { "host", "127.0.0.1" }, { "version", AdminCommands.Version } };
        result["ok"] = 1.0;
        return result;
    }

    private static BsonDocument Plan(QueryStats stats, BsonDocument? filter, CollectionState? c)
    {
        var filterDoc = filter ?? new BsonDocument();
        return stats.Stage switch
        {
            "IDHACK" => new BsonDocument { { "stage", "IDHACK" } },
            "IXSCAN" => new BsonDocument
            {
                { "stage", "FETCH" },
                { "filter", filterDoc },
                {
                    "inputStage", new BsonDocument
                    {
                        { "stage", "IXSCAN" },
                        { "indexName", stats.IndexName ?? string.Empty },
                        { "keyPattern", c?.Indexes.FirstOrDefault(i => i.Name == stats.IndexName)?.Key ?? new BsonDocument("_id", 1) },
                    }
                },
            },
            _ => new BsonDocument { { "stage", stats.Stage == "EOF" ? "EOF" : "COLLSCAN" }, { "filter", filterDoc }, { "direction", "forward" } },
        };
    }

    public static BsonDocument ExecutionStats(QueryStats stats, int nReturned) => new()
    {
        { "executionSuccess", true },
        { "nReturned", nReturned },
        { "executionTimeMillis", 0 },
        { "totalKeysExamined", stats.KeysExamined },
        { "totalDocsExamined", stats.DocsExamined },
    };
}
