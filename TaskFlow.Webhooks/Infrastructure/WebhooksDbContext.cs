using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// Subscriptions, their deliveries, the admins (who see every task), the inbox of consumed events and the Data
/// Protection key ring that encrypts the secrets (shared by every replica through this database).
/// </summary>
public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<WebhookSubscription> Subscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> Deliveries => Set<WebhookDelivery>();
    public DbSet<KnownAdmin> Admins => Set<KnownAdmin>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookSubscription>(entity =>
        {
            entity.ToTable("webhook_subscriptions");
            entity.HasKey(s => s.Id);
            entity.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(s => s.OwnerId).HasColumnName("owner_id");
            entity.Property(s => s.Url).HasColumnName("url").HasMaxLength(WebhookInput.MaxUrlLength);
            entity.Property(s => s.Destination).HasColumnName("destination").HasMaxLength(300);
            entity.Property(s => s.Events).HasColumnName("events");
            entity.Property(s => s.Description).HasColumnName("description").HasMaxLength(WebhookInput.MaxDescriptionLength);
            entity.Property(s => s.Enabled).HasColumnName("enabled");
            entity.Property(s => s.DisabledReason).HasColumnName("disabled_reason").HasMaxLength(200);
            entity.Property(s => s.CreatedAt).HasColumnName("created_at");
            entity.Property(s => s.ProtectedSecret).HasColumnName("secret_protected");
            entity.Property(s => s.PreviousProtectedSecret).HasColumnName("previous_secret_protected");
            entity.Property(s => s.PreviousSecretExpiresAt).HasColumnName("previous_secret_expires_at");
            entity.Property(s => s.FailingSince).HasColumnName("failing_since");
            // The caller's list, newest first, keyset-paged on (created_at, id).
            entity.HasIndex(s => new { s.OwnerId, s.CreatedAt, s.Id })
                .HasDatabaseName("ix_webhook_subscriptions_owner_created")
                .IsDescending(false, true, true);
        });

        modelBuilder.Entity<WebhookDelivery>(entity =>
        {
            entity.ToTable("webhook_deliveries");
            entity.HasKey(d => d.Id);
            entity.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(d => d.SubscriptionId).HasColumnName("subscription_id");
            entity.Property(d => d.EventId).HasColumnName("event_id");
            entity.Property(d => d.EventType).HasColumnName("event_type").HasMaxLength(100);
            entity.Property(d => d.Body).HasColumnName("body");
            entity.Property(d => d.Status).HasColumnName("status").HasMaxLength(20);
            entity.Property(d => d.Attempts).HasColumnName("attempts");
            entity.Property(d => d.LastResponseStatus).HasColumnName("last_response_status");
            entity.Property(d => d.LastError).HasColumnName("last_error").HasMaxLength(300);
            entity.Property(d => d.CreatedAt).HasColumnName("created_at");
            entity.Property(d => d.LastAttemptAt).HasColumnName("last_attempt_at");
            entity.Property(d => d.NextAttemptAt).HasColumnName("next_attempt_at");
            entity.Property(d => d.LeaseUntil).HasColumnName("lease_until");
            entity.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            // Exactly one delivery per event and subscription.
            entity.HasIndex(d => new { d.SubscriptionId, d.EventId }).HasDatabaseName("ux_webhook_deliveries_subscription_event").IsUnique();
            // A subscription's deliveries, newest first.
            entity.HasIndex(d => new { d.SubscriptionId, d.CreatedAt, d.Id })
                .HasDatabaseName("ix_webhook_deliveries_subscription_created")
                .IsDescending(false, true, true);
            // The worker's claim: due pending deliveries only.
            entity.HasIndex(d => d.NextAttemptAt).HasDatabaseName("ix_webhook_deliveries_due").HasFilter("status = 'pending'");
        });

        modelBuilder.Entity<KnownAdmin>(entity =>
        {
            entity.ToTable("webhook_admins");
            entity.HasKey(a => a.UserId);
            entity.Property(a => a.UserId).HasColumnName("user_id").ValueGeneratedNever();
            entity.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        });

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        // Inbox of processed event ids, written in the same transaction as the deliveries.
        modelBuilder.AddInbox();
    }
}
