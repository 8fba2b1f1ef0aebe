namespace TaskFlow.Users.Model;

/// <summary>The input rules of every Users operation, as pure functions so they are testable without HTTP.</summary>
public static class UserRules
{
    public const int DefaultPageSize = 20;
    public const int MaximumPageSize = 100;

    public static ValidationErrors ValidateRegistration(string? email, string? password, string? displayName) =>
        new ValidationErrors()
            .Add("email", EmailAddress.Check(email))
            .Add("password", PasswordPolicy.Check(password))
            .Add("displayName", DisplayName.Check(displayName));

    /// <summary>Login only checks presence: a wrong password is a 401, and the password policy may change after sign-up.</summary>
    public static ValidationErrors ValidateLogin(string? email, string? password) =>
        new ValidationErrors()
            .Add("email", string.IsNullOrWhiteSpace(email) ? "An email address is required." : null)
            .Add("password", string.IsNullOrEmpty(password) ? "A password is required." : null);

    public static ValidationErrors ValidateProfile(string? displayName) =>
        new ValidationErrors().Add("displayName", DisplayName.Check(displayName));

    public static ValidationErrors ValidateRoles(IReadOnlyList<string?>? roles)
    {
        var errors = new ValidationErrors();
        if (roles is null || roles.Count == 0)
        {
            return errors.Add("roles", "At least one role is required.");
        }

        foreach (var role in roles.Where(r => !Roles.IsKnown(r)).Distinct())
        {
            errors.Add("roles", $"Unknown role '{role}'; allowed: {string.Join(", ", Roles.All)}.");
        }

        return errors;
    }

    public static ValidationErrors ValidatePage(int? limit, string? cursor, out UserCursor? decoded)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > MaximumPageSize)
        {
            errors.Add("limit", $"The limit must be between 1 and {MaximumPageSize}.");
        }

        decoded = null;
        if (cursor is not null && !UserCursor.TryParse(cursor, out decoded))
        {
            errors.Add("cursor", "The cursor is not valid.");
        }

        return errors;
    }
}
