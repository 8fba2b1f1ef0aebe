namespace TaskFlow.Notifier.Infrastructure;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Notification>(entity =>
        {
            entity.ToTable("notifications");
            entity.HasKey(n => n.Id);
            entity.Property(n => n.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(n => n.UserId).HasColumnName("user_id");
            entity.Property(n => n.Type).HasColumnName("type").HasMaxLength(50);
            entity.Property(n => n.TaskId).HasColumnName("task_id");
            entity.Property(n => n.Message).HasColumnName("message").HasMaxLength(500);
            entity.Property(n => n.CreatedAt).HasColumnName("created_at");
            entity.Property(n => n.ReadAt).HasColumnName("read_at");
            entity.Property(n => n.EventId).HasColumnName("event_id");
            entity.Property(n => n.DedupKey).HasColumnName("dedup_key").HasMaxLength(200);
            // The inbox page query: the caller's notifications, newest first, keyset-paged on (created_at, id).
            entity.HasIndex(n => new { n.UserId, n.CreatedAt, n.Id })
                .HasDatabaseName("ix_notifications_user_created")
                .IsDescending(false, true, true);
            entity.HasIndex(n => n.DedupKey).HasDatabaseName("ux_notifications_dedup_key").IsUnique();
        });

        // Inbox of processed event ids, written in the same transaction as the notifications.
        modelBuilder.AddInbox();
    }
}
