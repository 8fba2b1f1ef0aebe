using Microsoft.AspNetCore.Identity;

namespace TaskFlow.Users.Infrastructure.Passwords;

/// <summary>
/// Hashes and verifies passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512,
/// salted, iteration count in the hash). Hashing is CPU-bound, so it runs off the request thread behind a gate of
/// <see cref="PasswordHashingOptions.MaxConcurrency"/> slots.
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    // PasswordHasher ignores the user argument; one shared placeholder avoids passing null.
    private static readonly object NoUser = new();

    private readonly PasswordHasher<object> _hasher;
    private readonly SemaphoreSlim _gate;
    private readonly Lazy<string> _unknownUserHash;

    public PasswordHashing(IOptions<PasswordHashingOptions> options)
    {
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.Iterations,
        }));
        Iterations = options.Value.Iterations;
        _gate = new SemaphoreSlim(options.Value.MaxConcurrency);
        // A hash of a random password nobody knows: verifying against it costs what a real check costs.
        _unknownUserHash = new Lazy<string>(() => _hasher.HashPassword(NoUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
    }

    /// <summary>PBKDF2 iterations of new hashes.</summary>
    public int Iterations { get; }

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        RunGatedAsync(() => _hasher.HashPassword(NoUser, password), cancellationToken);

    public Task<PasswordCheck> VerifyAsync(string hash, string password, CancellationToken cancellationToken) =>
        RunGatedAsync(() => _hasher.VerifyHashedPassword(NoUser, hash, password) switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Succeeded,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SucceededRehashNeeded,
            _ => PasswordCheck.Failed,
        }, cancellationToken);

    /// <summary>Spends the time of a real verification for an unknown account, so timing does not reveal which emails exist.</summary>
    public Task VerifyUnknownUserAsync(string password, CancellationToken cancellationToken) =>
        RunGatedAsync(() => _hasher.VerifyHashedPassword(NoUser, _unknownUserHash.Value, password), cancellationToken);

    /// <summary>Computes the placeholder hash at startup rather than inside the first unknown-email login.</summary>
    public void WarmUp() => _ = _unknownUserHash.Value;

    public void Dispose() => _gate.Dispose();

    /// <summary>Iteration count recorded in an Identity V3 hash (format marker, PRF, iterations, salt size, salt, subkey).</summary>
    public static int ReadIterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        return bytes.Length >= 9 && bytes[0] == 0x01
            ? (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8]
            : 0;
    }

    private async Task<T> RunGatedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(work, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
