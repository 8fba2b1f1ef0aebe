namespace TaskFlow.Graph.Model;

/// <summary>The parts of a problem+json answer that are safe to pass on to a GraphQL client.</summary>
public sealed record RestProblem(string? Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);
