namespace TaskFlow.Users.Infrastructure;

public sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // citext makes the unique index (and every lookup) case-insensitive without a second column.
        modelBuilder.HasPostgresExtension("citext");

        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            user.Property(u => u.Email).HasColumnName("email").HasColumnType("citext").HasMaxLength(EmailAddress.MaximumLength);
            user.Property(u => u.DisplayName).HasColumnName("display_name").HasMaxLength(DisplayName.MaximumLength);
            user.Property(u => u.PasswordHash).HasColumnName("password_hash");
            user.Property(u => u.Roles).HasColumnName("roles");
            user.Property(u => u.CreatedAt).HasColumnName("created_at");
            user.Property(u => u.UpdatedAt).HasColumnName("updated_at");
            user.Ignore(u => u.IsAdmin);

            user.HasIndex(u => u.Email).IsUnique().HasDatabaseName("ux_users_email");
            // Keyset paging of GET /users walks (created_at, id).
            user.HasIndex(u => new { u.CreatedAt, u.Id }).HasDatabaseName("ix_users_created_at_id");
        });

        // Events staged with the change they describe, published by the outbox relay.
        modelBuilder.AddOutbox();
    }
}
