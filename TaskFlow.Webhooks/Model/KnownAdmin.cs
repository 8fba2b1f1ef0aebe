namespace TaskFlow.Webhooks.Model;

/// <summary>A user whose roles include admin (from <c>user.registered</c>/<c>user.updated</c>): admins see every task.</summary>
public sealed class KnownAdmin
{
    public required Guid UserId { get; init; }
    public required DateTimeOffset UpdatedAt { get; set; }
}
