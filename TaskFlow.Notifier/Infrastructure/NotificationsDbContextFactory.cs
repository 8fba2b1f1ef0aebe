using Microsoft.EntityFrameworkCore.Design;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>For <c>dotnet ef migrations add</c> only: scaffolding needs the model, not a live database.</summary>
public sealed class NotificationsDbContextFactory : IDesignTimeDbContextFactory<NotificationsDbContext>
{
    public NotificationsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotificationsDbContext>()
            .UseNpgsql("Host=localhost;Database=notificationsdb")
            .Options);
}
