using Microsoft.EntityFrameworkCore.Design;

namespace TaskFlow.Users.Infrastructure;

/// <summary>For <c>dotnet ef migrations add</c> only: scaffolding needs the model, not a live database.</summary>
public sealed class UsersDbContextFactory : IDesignTimeDbContextFactory<UsersDbContext>
{
    public UsersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<UsersDbContext>()
            .UseNpgsql("Host=localhost;Database=usersdb")
            .Options);
}
