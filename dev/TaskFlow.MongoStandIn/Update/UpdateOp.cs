namespace TaskFlow.MongoStandIn.Update;

/// <summary>One operator applied to one path (<c>$rename</c> becomes an <c>$unset</c> and a <c>$renameTo</c>).</summary>
internal sealed record UpdateOp(string Operator, string Path, string[] Parts, BsonValue Argument);
