namespace TaskFlow.Graph.Infrastructure;

/// <summary>The error of <see cref="QueryOnlyRule"/>; the HTTP layer answers it with 405.</summary>
public sealed class MutationOverGetError() : ValidationError("Only queries may be sent with GET; send mutations with POST.");
