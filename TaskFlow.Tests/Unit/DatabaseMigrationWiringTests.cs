using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Messaging.Outbox.EfCore;
using TaskFlow.Notifier;
using TaskFlow.Notifier.Infrastructure;
using TaskFlow.ServiceDefaults.Migrations;
using TaskFlow.Users.Infrastructure;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// Users and Notifier, composed by their own <c>AddApplicationServices</c>, migrate with the ServiceDefaults migrator
/// before anything that needs the tables starts: hosted services start in registration order (and the server after
/// all of them), so the migrator must be registered before them.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DatabaseMigrationWiringTests
{
    [Fact]
    public void Notifier_migrates_before_its_consumer_and_live_stream_fan_out_start()
    {
        var (services, hosted) = Compose(builder => TaskFlow.Notifier.Extensions.ApplicationServiceExtensions.AddApplicationServices(builder));

        Assert.Equal(typeof(DatabaseMigrator<NotificationsDbContext>), hosted[0].ImplementationType);
        Assert.True(hosted.Count >= 3, "the consumer and the fan-out are hosted services registered after the migrator");
        var migration = Assert.Single(services, d => d.ServiceType == typeof(DatabaseMigration<NotificationsDbContext>)).ImplementationInstance;
        Assert.Equal(NotifierResources.MigrationLockKey, Assert.IsType<DatabaseMigration<NotificationsDbContext>>(migration).LockKey);
    }

    [Fact]
    public void Users_migrates_and_ensures_the_admin_before_its_outbox_relay_starts()
    {
        var (services, hosted) = Compose(builder => TaskFlow.Users.Extensions.ApplicationServiceExtensions.AddApplicationServices(builder));

        var migrator = hosted.FindIndex(d => d.ImplementationType == typeof(DatabaseMigrator<UsersDbContext>));
        Assert.True(migrator >= 0, "the migrator is registered");
        Assert.True(hosted.FindIndex(d => d.ImplementationType == typeof(EfCoreOutboxRelay<UsersDbContext>)) > migrator);
        Assert.True(hosted.FindIndex(d => d.ImplementationType == typeof(StartupWarmUp)) > migrator);
        var migration = Assert.IsType<DatabaseMigration<UsersDbContext>>(
            Assert.Single(services, d => d.ServiceType == typeof(DatabaseMigration<UsersDbContext>)).ImplementationInstance);
        Assert.Equal(UsersDatabaseSetup.MigrationLockKey, migration.LockKey);
        Assert.Equal(nameof(UsersDatabaseSetup.AfterMigrationAsync), migration.AfterMigration?.Method.Name);
    }

    [Fact]
    public void The_checked_in_migrations_cover_both_models()
    {
        // The migrator skips MigrateAsync when nothing is pending, so a model change without its migration would
        // not fail the start: it fails here.
        using var users = new UsersDbContext(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql("Host=127.0.0.1;Port=1").Options);
        using var notifications = new NotificationsDbContext(new DbContextOptionsBuilder<NotificationsDbContext>().UseNpgsql("Host=127.0.0.1;Port=1").Options);

        Assert.False(users.Database.HasPendingModelChanges(), "UsersDbContext changed without a migration");
        Assert.False(notifications.Database.HasPendingModelChanges(), "NotificationsDbContext changed without a migration");
    }

    /// <summary>Composes a service as its Program does; returns all registrations and the hosted services the service itself added.</summary>
    private static (IServiceCollection Services, List<ServiceDescriptor> Hosted) Compose(Action<IHostApplicationBuilder> addApplicationServices)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:usersdb"] = "Host=127.0.0.1;Port=1;Database=usersdb",
            ["ConnectionStrings:notificationsdb"] = "Host=127.0.0.1;Port=1;Database=notificationsdb",
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1",
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false",
        });
        builder.AddServiceDefaults();
        var before = builder.Services.Count;
        addApplicationServices(builder);
        return (builder.Services, [.. builder.Services.Skip(before).Where(d => d.ServiceType == typeof(IHostedService))]);
    }
}
