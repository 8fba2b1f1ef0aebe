using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// Creates the key ring's first key once, under the migrations' advisory lock, before Data Protection reads the ring.
/// Without it every replica of a clean start found the ring empty and created a key of its own at the same moment;
/// each then protected new secrets with its own key, which the other replicas did not know until their next ring
/// refresh (24 h), so a delivery attempted on another replica than the one that created the webhook failed to
/// decrypt its secret. With one key created first, every replica starts with the same ring. Later keys are Data
/// Protection's own rollover, created days before they activate, so every replica learns them in time.
/// </summary>
public static partial class KeyRingBootstrap
{
    /// <summary>The first key's lifetime: Data Protection's default.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    /// <summary>The hook of <c>AddDatabaseMigrations</c>: runs after the migrations, still holding their lock.</summary>
    public static Task EnsureKeyAsync(WebhooksDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        cancellationToken.ThrowIfCancellationRequested();
        var keys = services.GetRequiredService<IKeyManager>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            var key = keys.CreateNewKey(now, now + KeyLifetime);
            LogCreated(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingBootstrap)), key.KeyId, key.ExpirationDate);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the key ring's first key {KeyId} (expires {ExpiresAt}) for every replica")]
    private static partial void LogCreated(ILogger logger, Guid keyId, DateTimeOffset expiresAt);
}
