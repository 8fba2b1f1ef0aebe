namespace TaskFlow.Users.Apis;

/// <summary>
/// Example values of the OpenAPI document, so generated requests (Portman, SDK samples) are well-formed. The
/// bootstrap admin's default address is a real account in every local run, so a lookup by it finds one.
/// </summary>
internal static class ApiExamples
{
    public const string Email = "ada@example.com";
    public const string Password = "correct-horse-battery";
    public const string DisplayName = "Ada Lovelace";
    public const string ExistingEmail = "admin@taskflow.local";
    public const string UserId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    public const string UserIds = UserId + ",9b2e7c4a-1d3f-4e5a-8b6c-7d8e9f0a1b2c";
    public const string RefreshToken = "Jq3xT0cYv9bK2mN5pR8sU1wZ4aD7fG0hJ3kL6nQ9tV2";

    /// <summary>A well-formed cursor before every account (the first page), as <c>nextCursor</c> values look.</summary>
    public static readonly string FirstPageCursor = new UserCursor(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Empty).ToString();
}
