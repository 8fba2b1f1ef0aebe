using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskFlow.ServiceDefaults.Migrations;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Users.Infrastructure;
using TaskFlow.Users.Infrastructure.Passwords;

namespace TaskFlow.Tests.Users;

/// <summary>What the Users service does before it serves: migrations and the admin account, with replicas racing.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UsersStartupTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Replicas_starting_together_migrate_once_and_create_one_admin()
    {
        var database = "users_start_" + Guid.NewGuid().ToString("N")[..12];
        var server = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync("usersdb"));
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {database}");
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            using var passwords = new PasswordHashing(Options.Create(new PasswordHashingOptions { Iterations = 100_000 }));
            var admin = new AdminAccountOptions { Email = "root@example.test", Password = "first password" };

            // Four "replicas" at once, each with its own connection, as at a rolling start.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var db = CreateContext(target);
                await InitializeAsync(db, admin, passwords);
            })));

            await using (var db = CreateContext(target))
            {
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Equal(db.Database.GetMigrations().Count(), await ScalarAsync(target, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
            }

            Assert.Equal(1, await ScalarAsync(target, "SELECT count(*) FROM users WHERE email = 'ROOT@example.test' AND 'admin' = ANY(roles)"));
            Assert.Equal(1, await ScalarAsync(target, "SELECT count(*) FROM outbox_messages WHERE event_type = 'user.registered'"));

            // Configuration stays the source of truth: a lost admin role and a changed password are restored.
            await ExecuteAsync(target, "UPDATE users SET roles = ARRAY['user']");
            var changed = new AdminAccountOptions { Email = "root@example.test", Password = "second password" };
            await using (var db = CreateContext(target))
            {
                await InitializeAsync(db, changed, passwords);
                var stored = await db.Users.AsNoTracking().SingleAsync();
                Assert.True(stored.IsAdmin);
                Assert.Equal(PasswordCheck.Succeeded, await passwords.VerifyAsync(stored.PasswordHash, "second password", CancellationToken.None));
            }

            Assert.Equal(1, await ScalarAsync(target, "SELECT count(*) FROM outbox_messages WHERE event_type = 'user.updated'"));
        }
        finally
        {
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task OpenAPI_document_describes_the_Users_endpoints_and_both_login_body_types()
    {
        using var client = fixture.CreateClient("users");
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/users/register", "/users/login", "/users/refresh", "/users/logout", "/users/me", "/users/{id}", "/users", "/users/{id}/roles" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }

        var content = paths.GetProperty("/users/login").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _));
        var form = content.GetProperty("application/x-www-form-urlencoded").GetProperty("schema").GetProperty("properties");
        Assert.True(form.TryGetProperty("grant_type", out _));
        Assert.True(form.TryGetProperty("username", out _));
    }

    /// <summary>What one replica does at start: the ServiceDefaults migrator with the Users lock and hook.</summary>
    private static async Task InitializeAsync(UsersDbContext db, AdminAccountOptions admin, PasswordHashing passwords)
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(Options.Create(admin))
            .AddSingleton(passwords)
            .AddSingleton(TimeProvider.System)
            .BuildServiceProvider();
        await DatabaseMigrator<UsersDbContext>.MigrateAsync(
            db, services, UsersDatabaseSetup.MigrationLockKey, UsersDatabaseSetup.AfterMigrationAsync, NullLogger.Instance, CancellationToken.None);
    }

    private static UsersDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql(connectionString).Options);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
