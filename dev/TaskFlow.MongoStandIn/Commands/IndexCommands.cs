namespace TaskFlow.MongoStandIn.Commands;

internal sealed class IndexCommands
{
    public async Task<BsonDocument> CreateIndexes(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("indexes", "commitQuorum", "ignoreUnknownIndexOptions", "isTimeseriesNamespace");
        if (ctx.Command.GetValue("indexes", BsonNull.Value) is not BsonArray specs || specs.Count == 0)
        {
            throw CommandError.BadValue("Must specify at least one index to create");
        }

        // validate every spec before touching the collection
        var indexes = specs.Select(s => IndexState.FromSpec(s as BsonDocument ?? throw new CommandError(ErrorCodes.TypeMismatch, "index specification must be an object"))).ToList();
        var existed = ctx.Engine.GetCollection(ctx.Database, name) is not null;
        var durability = new List<Task>();
        var (before, after) = ctx.Engine.WithCollection(ctx.Database, name, create: true, durability, c =>
        {
            var b = c!.Indexes.Count + 1;
            foreach (var index in indexes)
            {
                c.CreateIndex(index, durability);
            }

            return (b, c.Indexes.Count + 1);
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        var reply = new BsonDocument
        {
            { "numIndexesBefore", before },
            { "numIndexesAfter", after },
            { "createdCollectionAutomatically", !existed },
        };
        if (before == after)
        {
            reply["note"] = "all indexes already exist";
        }

        reply["ok"] = 1.0;
        return reply;
    }

    public BsonDocument ListIndexes(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("cursor", "includeBuildUUIDs", "includeIndexBuildInfo");
        var docs = ctx.Engine.WithCollection(ctx.Database, name, create: false, [], c =>
            c?.ListIndexSpecs().ToList() ?? throw new CommandError(ErrorCodes.NamespaceNotFound, $"ns does not exist: {ctx.Database}.{name}"));
        var batch = ctx.GetDocument("cursor")?.GetValue("batchSize", BsonNull.Value);
        return CommandReplies.CursorReply(ctx, ctx.Database + "." + name, docs, batch is null || batch.IsBsonNull ? null : batch.ToInt32(), singleBatch: false);
    }

    public async Task<BsonDocument> DropIndexes(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("index");
        if (!ctx.Command.TryGetValue("index", out var target))
        {
            throw new CommandError(40414, $"BSON field '{ctx.Name}.index' is missing but a required field");
        }

        var durability = new List<Task>();
        var was = ctx.Engine.WithCollection(ctx.Database, name, create: false, durability, c =>
        {
            if (c is null)
            {
                throw new CommandError(ErrorCodes.NamespaceNotFound, $"ns not found {ctx.Database}.{name}");
            }

            var count = c.Indexes.Count + 1;
            var names = new List<string>();
            switch (target)
            {
                case BsonString s when s.Value == "*":
                    names.AddRange(c.Indexes.Select(i => i.Name));
                    break;
                case BsonString s:
                    names.Add(s.Value);
                    break;
                case BsonArray a:
                    names.AddRange(a.Select(v => v.AsString));
                    break;
                case BsonDocument key:
                    {
                        if (BsonOrder.Compare(key, new BsonDocument("_id", 1)) == 0)
                        {
                            throw new CommandError(ErrorCodes.InvalidOptions, "cannot drop _id index");
                        }

                        var match = c.Indexes.FirstOrDefault(i => BsonOrder.Compare(i.Key, key) == 0)
                            ?? throw new CommandError(ErrorCodes.IndexNotFound, $"can't find index with key: {BsonText.Format(key)}");
                        names.Add(match.Name);
                        break;
                    }

                default:
                    throw new CommandError(ErrorCodes.TypeMismatch, "dropIndexes 'index' must be a string, an array of strings or an object");
            }

            foreach (var n in names)
            {
                if (n == "_id_")
                {
                    throw new CommandError(ErrorCodes.InvalidOptions, "cannot drop _id index");
                }

                if (c.Indexes.All(i => i.Name != n))
                {
                    throw new CommandError(ErrorCodes.IndexNotFound, $"index not found with name [{n}]");
                }
            }

            foreach (var n in names)
            {
                c.DropIndex(n, durability);
            }

            return count;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        return new BsonDocument { { "nIndexesWas", was }, { "ok", 1.0 } };
    }
}
