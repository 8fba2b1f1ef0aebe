namespace TaskFlow.Users.Model;

/// <summary>
/// What a password must be: at least <see cref="MinimumLength"/> characters (API contract). The upper bound only
/// keeps a request from making the server hash megabytes; it is far above any real password.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 1024;

    public static string? Check(string? password) => password switch
    {
        null or "" => "A password is required.",
        { Length: < MinimumLength } => $"The password must be at least {MinimumLength} characters long.",
        { Length: > MaximumLength } => $"The password must be at most {MaximumLength} characters long.",
        _ => null,
    };
}
