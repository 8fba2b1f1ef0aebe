using Microsoft.EntityFrameworkCore.Design;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>For <c>dotnet ef migrations add</c> only: scaffolding needs the model, not a live database.</summary>
public sealed class WebhooksDbContextFactory : IDesignTimeDbContextFactory<WebhooksDbContext>
{
    public WebhooksDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WebhooksDbContext>()
            .UseNpgsql("Host=localhost;Database=webhooksdb")
            .Options);
}
