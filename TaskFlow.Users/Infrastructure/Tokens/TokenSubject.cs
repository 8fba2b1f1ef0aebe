namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>Whom a token is about: the user fields it carries as claims.</summary>
public sealed record TokenSubject(Guid UserId, string Email, string Name, IReadOnlyList<string> Roles)
{
    public static TokenSubject From(User user) => new(user.Id, user.Email, user.DisplayName, user.Roles);
}
