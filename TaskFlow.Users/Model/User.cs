namespace TaskFlow.Users.Model;

/// <summary>A TaskFlow account. Its rules live here; handlers and the database only carry it.</summary>
public sealed class User
{
    private User()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>As the user typed it (trimmed); unique case-insensitively (a <c>citext</c> column).</summary>
    public string Email { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public string PasswordHash { get; private set; } = "";

    /// <summary>Canonical order, see <see cref="Model.Roles.Canonical"/>.</summary>
    public string[] Roles { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsAdmin => Roles.Contains(Model.Roles.Admin);

    /// <summary>A new account with the <c>user</c> role. Inputs must have passed <see cref="UserRules.ValidateRegistration"/>.</summary>
    public static User Register(string email, string displayName, string passwordHash, DateTimeOffset now, IEnumerable<string>? roles = null) => Create(
        email, displayName, passwordHash, ToStoredPrecision(now), roles);

    /// <summary>PostgreSQL keeps microseconds: the response to a write shows what a later read will.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    private static User Create(string email, string displayName, string passwordHash, DateTimeOffset now, IEnumerable<string>? roles) => new()
    {
        // Version 7 ids sort by creation time, which keeps the primary key index append-mostly.
        Id = Guid.CreateVersion7(now),
        Email = EmailAddress.Normalize(email),
        DisplayName = Model.DisplayName.Normalize(displayName),
        PasswordHash = passwordHash,
        Roles = Model.Roles.Canonical([Model.Roles.User, .. roles ?? []]),
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Returns whether anything changed.</summary>
    public bool Rename(string displayName, DateTimeOffset now)
    {
        var normalized = Model.DisplayName.Normalize(displayName);
        if (normalized == DisplayName)
        {
            return false;
        }

        DisplayName = normalized;
        UpdatedAt = ToStoredPrecision(now);
        return true;
    }

    /// <summary>Replaces the roles (unknown ones must have been rejected by <see cref="UserRules.ValidateRoles"/>). Returns whether anything changed.</summary>
    public bool SetRoles(IEnumerable<string> roles, DateTimeOffset now)
    {
        var canonical = Model.Roles.Canonical(roles);
        if (canonical.SequenceEqual(Roles))
        {
            return false;
        }

        Roles = canonical;
        UpdatedAt = ToStoredPrecision(now);
        return true;
    }

    public void ChangePasswordHash(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        UpdatedAt = ToStoredPrecision(now);
    }
}
