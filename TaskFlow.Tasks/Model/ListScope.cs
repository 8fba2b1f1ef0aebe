namespace TaskFlow.Tasks.Model;

/// <summary>The visibility part of a list query; <see cref="UserId"/> is null for <see cref="Everything"/>.</summary>
public sealed record ListScope(string? UserId)
{
    public static readonly ListScope Everything = new((string?)null);

    public static ListScope OwnedOrAssigned(string userId) => new(userId);
}
