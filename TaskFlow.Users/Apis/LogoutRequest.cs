namespace TaskFlow.Users.Apis;

/// <summary>Fields are nullable so that a missing one is a validation error naming it (400 with <c>errors</c>), not a deserialization failure.</summary>
public sealed record LogoutRequest(string? RefreshToken);
