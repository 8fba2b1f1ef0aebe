namespace TaskFlow.Graph.Model;

/// <summary>The answer of <c>GET /users/batch</c>.</summary>
public sealed record UserBatch(IReadOnlyList<UserView> Items);
