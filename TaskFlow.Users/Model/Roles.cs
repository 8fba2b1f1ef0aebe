namespace TaskFlow.Users.Model;

/// <summary>The roles a TaskFlow user can hold. Every account has <see cref="User"/>; admins also hold <see cref="Admin"/>.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [User, Admin];

    public static bool IsKnown(string? role) => role is User or Admin;

    /// <summary>Distinct known roles in a stable order (<c>user</c> before <c>admin</c>), so stored arrays compare equal.</summary>
    public static string[] Canonical(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(set.Contains)];
    }
}
