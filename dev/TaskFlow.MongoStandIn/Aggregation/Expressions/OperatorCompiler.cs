namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Compiles one <c>{$operator: argument}</c> expression.</summary>
internal delegate Expr OperatorCompiler(string name, BsonValue arg);
