namespace TaskFlow.Graph.Infrastructure;

/// <summary>A request over one of the limits of <see cref="RequestBudgetRule"/>: BAD_USER_INPUT, nothing executed.</summary>
public sealed class RequestBudgetError(string message) : ValidationError(message);
