namespace TaskFlow.Users.Apis;

/// <summary>The answer of <c>GET /users/batch</c>.</summary>
public sealed record PublicUserBatch(IReadOnlyList<PublicUserResponse> Items);
