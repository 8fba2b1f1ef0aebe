namespace TaskFlow.Users.Apis;

/// <summary>The full view of an account: for the account itself and for admins.</summary>
public sealed record UserResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.DisplayName, user.Roles, user.CreatedAt);
}
