namespace TaskFlow.Users.Apis;

public sealed record UserPage(IReadOnlyList<UserResponse> Items, string? NextCursor);
