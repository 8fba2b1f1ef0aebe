namespace TaskFlow.MongoStandIn.Update;

/// <summary>Builds the document an upsert inserts when its query matches nothing.</summary>
internal static class UpsertDocument
{
    /// <summary>The document an upsert inserts: the query's equalities (only _id for a replacement), then the update.</summary>
    public static BsonDocument Build(BsonDocument query, CompiledUpdate update)
    {
        BsonDocument seed;
        if (update.Kind == UpdateKind.Replacement)
        {
            seed = new BsonDocument();
            var fromQuery = FromQuery(query);
            if (fromQuery.TryGetValue("_id", out var id))
            {
                seed["_id"] = id;
            }
        }
        else
        {
            seed = FromQuery(query);
        }

        var doc = update.Apply(seed, null, isInsert: true);
        return CollectionState.NormalizeForInsert(doc);
    }

    /// <summary>Builds the seed document of an upsert from the equality conditions of the query.</summary>
    public static BsonDocument FromQuery(BsonDocument filter)
    {
        var seed = new BsonDocument();
        AddEqualities(seed, filter);
        if (seed.TryGetValue("_id", out var id) && seed.IndexOfName("_id") != 0)
        {
            seed.Remove("_id");
            seed.InsertAt(0, new BsonElement("_id", id));
        }

        return seed;
    }

    private static void AddEqualities(BsonDocument seed, BsonDocument filter)
    {
        foreach (var e in filter)
        {
            if (e.Name == "$and" && e.Value is BsonArray and)
            {
                foreach (var item in and.OfType<BsonDocument>())
                {
                    AddEqualities(seed, item);
                }

                continue;
            }

            if (e.Name.StartsWith('$'))
            {
                continue;
            }

            BsonValue? value = null;
            if (e.Value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))
            {
                if (d.TryGetValue("$eq", out var eq))
                {
                    value = eq;
                }
                else if (d.TryGetValue("$in", out var inValues) && inValues is BsonArray ia && ia.Count == 1)
                {
                    value = ia[0];
                }
            }
            else if (e.Value is not BsonRegularExpression)
            {
                value = e.Value;
            }

            if (value is not null)
            {
                var parts = Paths.Split(e.Name);
                if (Paths.Get(seed, parts) is not null)
                {
                    throw new CommandError(54, $"cannot infer query fields to set, path '{e.Name}' is matched twice");
                }

                Paths.SetCreating(seed, parts, value.DeepClone());
            }
        }
    }
}
