namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>A parsed find command.</summary>
internal sealed record FindSpec(string Collection, BsonDocument? Filter, SortSpec? Sort, Projection? Projection, long Skip, long Limit, int? BatchSize, bool SingleBatch, BsonValue? Hint);
