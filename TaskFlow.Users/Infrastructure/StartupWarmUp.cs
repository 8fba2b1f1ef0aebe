namespace TaskFlow.Users.Infrastructure;

/// <summary>
/// Before the server accepts requests, after the database is migrated: warms up password hashing and reports the
/// service ready. It takes the <see cref="SigningKeyRing"/> only so that the key is loaded (or the development key
/// generated) at start: a bad key fails the start, not the first login.
/// </summary>
public sealed partial class StartupWarmUp(
    PasswordHashing passwords,
    SigningKeyRing signingKeys,
    ILogger<StartupWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        passwords.WarmUp();
        LogReady(logger, signingKeys.Current.KeyId, passwords.Iterations);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Users ready: signing key {KeyId}, PBKDF2 iterations {Iterations}")]
    private static partial void LogReady(ILogger logger, string keyId, int iterations);
}
