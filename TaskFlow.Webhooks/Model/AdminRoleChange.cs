namespace TaskFlow.Webhooks.Model;

/// <summary>
/// What a <c>user.registered</c> or <c>user.updated</c> means for the set of admins (<see cref="KnownAdmin"/>): the
/// user's roles after the change include admin or not, as of <see cref="Time"/>. Applied once per event: an admin row
/// is added when the user is admin and not yet known; removed when not admin and the stored row is not newer.
/// </summary>
public sealed record AdminRoleChange(Guid EventId, string EventType, Guid UserId, bool IsAdmin, DateTimeOffset Time)
{
    public const string AdminRole = "admin";

    /// <summary>The change a user event carries, or null for any other event.</summary>
    public static AdminRoleChange? From(Guid eventId, string eventType, DateTimeOffset time, IIntegrationEvent data) => data switch
    {
        UserRegistered e => new(eventId, eventType, e.UserId, e.Roles.Contains(AdminRole, StringComparer.Ordinal), time.ToUniversalTime()),
        UserUpdated e => new(eventId, eventType, e.UserId, e.Roles.Contains(AdminRole, StringComparer.Ordinal), time.ToUniversalTime()),
        _ => null,
    };
}
