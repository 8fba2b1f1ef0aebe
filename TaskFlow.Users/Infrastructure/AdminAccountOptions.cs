namespace TaskFlow.Users.Infrastructure;

/// <summary>
/// The administrator account ensured at startup; bound from <c>Users:Admin</c> (the AppHost passes its
/// <c>users-admin-email</c> and secret <c>users-admin-password</c> parameters). Both empty: no account is ensured.
/// </summary>
public sealed class AdminAccountOptions
{
    public const string SectionName = "Users:Admin";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public string DisplayName { get; set; } = "Administrator";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Email) || !string.IsNullOrEmpty(Password);

    public sealed class Validator : IValidateOptions<AdminAccountOptions>
    {
        public ValidateOptionsResult Validate(string? name, AdminAccountOptions options)
        {
            if (!options.IsConfigured)
            {
                return ValidateOptionsResult.Success;
            }

            var errors = UserRules.ValidateRegistration(options.Email, options.Password, options.DisplayName).ToDictionary();
            return errors.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(errors.Select(e => $"{SectionName}:{e.Key}: {string.Join(" ", e.Value)}"));
        }
    }
}
