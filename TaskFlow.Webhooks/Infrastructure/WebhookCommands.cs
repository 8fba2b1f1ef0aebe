namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>The write side of the API: create, delete, redeliver, rotate; each only on the caller's own subscription.</summary>
public sealed class WebhookCommands(WebhooksDbContext db, SecretProtector protector, DeliverySignal signal, IOptions<WebhookOptions> options, TimeProvider time)
{
    /// <summary>The new subscription with its secret, or null when the owner already has <see cref="WebhookOptions.MaxWebhooksPerUser"/>.</summary>
    public async Task<CreatedWebhookView?> CreateAsync(Guid ownerId, WebhookInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Checked, not locked: two creates racing at the bound may both pass, which leaves the owner one over at most.
        if (await db.Subscriptions.CountAsync(s => s.OwnerId == ownerId, cancellationToken) >= options.Value.MaxWebhooksPerUser)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var secret = WebhookSecret.Generate();
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = ownerId,
            Url = input.Url.OriginalString,
            Destination = input.Destination,
            Events = [.. input.Events],
            Description = input.Description,
            CreatedAt = now,
            ProtectedSecret = protector.Protect(secret),
        };
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookView(subscription.Id, subscription.Url, subscription.Events, subscription.Description, subscription.Enabled, subscription.CreatedAt, secret);
    }

    public async Task<bool> DeleteAsync(Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        await db.Subscriptions.Where(s => s.Id == id && s.OwnerId == ownerId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>Puts the delivery back to pending, due now, as a new round of attempts (same body, same webhook-id).</summary>
    public async Task<RedeliveryOutcome> RedeliverAsync(Guid ownerId, Guid id, Guid deliveryId, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Id == id && s.OwnerId == ownerId)
            .Select(s => new { s.Enabled })
            .FirstOrDefaultAsync(cancellationToken);
        if (subscription is null)
        {
            return RedeliveryOutcome.NotFound;
        }

        if (!subscription.Enabled)
        {
            return RedeliveryOutcome.Disabled;
        }

        var now = time.GetUtcNow();
        var updated = await db.Deliveries
            .Where(d => d.Id == deliveryId && d.SubscriptionId == id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (updated == 0)
        {
            return RedeliveryOutcome.NotFound;
        }

        signal.Notify();
        return RedeliveryOutcome.Scheduled;
    }

    /// <summary>The new secret, or null when the subscription is not the caller's. The old one keeps signing for a day.</summary>
    public async Task<string?> RotateSecretAsync(Guid ownerId, Guid id, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.Where(s => s.Id == id && s.OwnerId == ownerId).FirstOrDefaultAsync(cancellationToken);
        if (subscription is null)
        {
            return null;
        }

        var secret = WebhookSecret.Generate();
        subscription.PreviousProtectedSecret = subscription.ProtectedSecret;
        subscription.PreviousSecretExpiresAt = time.GetUtcNow() + options.Value.PreviousSecretLifetime;
        subscription.ProtectedSecret = protector.Protect(secret);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }
}
