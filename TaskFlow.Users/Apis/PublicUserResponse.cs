namespace TaskFlow.Users.Apis;

/// <summary>What any signed-in user may see of another account.</summary>
public sealed record PublicUserResponse(Guid Id, string DisplayName)
{
    public static PublicUserResponse From(User user) => new(user.Id, user.DisplayName);
}
