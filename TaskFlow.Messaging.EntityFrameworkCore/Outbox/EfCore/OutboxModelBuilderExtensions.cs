namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>Maps the outbox and inbox tables into a service's EF Core model (call from <c>OnModelCreating</c>).</summary>
public static class OutboxModelBuilderExtensions
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "processed_events";

    /// <summary>Adds the <c>outbox_messages</c> table; add a migration afterwards.</summary>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<OutboxMessage>(entity =>
        {
            entity.ToTable(OutboxTable);
            entity.HasKey(m => m.Id);
            entity.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(100);
            entity.Property(m => m.Subject).HasColumnName("subject").HasMaxLength(200);
            entity.Property(m => m.Envelope).HasColumnName("envelope");
            entity.Property(m => m.CreatedAt).HasColumnName("created_at");
            entity.Property(m => m.PublishedAt).HasColumnName("published_at");
            entity.Property(m => m.Attempts).HasColumnName("attempts");
            entity.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            entity.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            entity.Property(m => m.FailedAt).HasColumnName("failed_at");
            // The relay's claim query reads only pending rows, oldest first.
            entity.HasIndex(m => m.CreatedAt)
                .HasDatabaseName("ix_outbox_messages_pending")
                .HasFilter("published_at IS NULL AND failed_at IS NULL");
        });
        return modelBuilder;
    }

    /// <summary>Adds the <c>processed_events</c> (inbox) table used for idempotent consumption.</summary>
    public static ModelBuilder AddInbox(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<ProcessedEvent>(entity =>
        {
            entity.ToTable(InboxTable);
            entity.HasKey(e => new { e.EventId, e.Handler });
            entity.Property(e => e.EventId).HasColumnName("event_id");
            entity.Property(e => e.Handler).HasColumnName("handler").HasMaxLength(200);
            entity.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(100);
            entity.Property(e => e.ProcessedAt).HasColumnName("processed_at");
        });
        return modelBuilder;
    }
}
