using TaskFlow.Messaging.Consuming;

namespace TaskFlow.Webhooks.IntegrationEvents;

/// <summary>
/// Keeps the set of admins (who see every task, API.md "Tasks") from <c>user.registered</c> and <c>user.updated</c>,
/// which carry the user's roles after the change. Applied once per event through the inbox.
/// </summary>
public sealed class AdminRoleHandler(WebhooksDbContext db) :
    IIntegrationEventHandler<UserRegistered>,
    IIntegrationEventHandler<UserUpdated>
{
    public const string AdminRole = "admin";

    public Task HandleAsync(IntegrationEventContext<UserRegistered> context, CancellationToken cancellationToken) =>
        ApplyAsync(context, context.Data.UserId, context.Data.Roles, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<UserUpdated> context, CancellationToken cancellationToken) =>
        ApplyAsync(context, context.Data.UserId, context.Data.Roles, cancellationToken);

    private Task<bool> ApplyAsync<TEvent>(IntegrationEventContext<TEvent> context, Guid userId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
        where TEvent : class, IIntegrationEvent =>
        db.ProcessOnceAsync(context, TaskWebhookHandler.InboxName, async ct =>
        {
            var isAdmin = roles.Contains(AdminRole, StringComparer.Ordinal);
            var known = await db.Admins.FirstOrDefaultAsync(a => a.UserId == userId, ct);
            if (isAdmin && known is null)
            {
                db.Admins.Add(new KnownAdmin { UserId = userId, UpdatedAt = context.Time });
            }
            else if (!isAdmin && known is not null && known.UpdatedAt <= context.Time)
            {
                db.Admins.Remove(known);
            }
        }, cancellationToken);
}
