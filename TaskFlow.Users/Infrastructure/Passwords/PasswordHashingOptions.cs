namespace TaskFlow.Users.Infrastructure.Passwords;

/// <summary>Password hashing work factor; bound from <c>Users:Passwords</c>.</summary>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Users:Passwords";

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations (ASP.NET Core Identity V3 format). 210,000 is OWASP's recommendation for
    /// PBKDF2-HMAC-SHA512. Raising it later is safe: older hashes are upgraded on the user's next login.
    /// </summary>
    [Range(100_000, 10_000_000)]
    public int Iterations { get; set; } = 210_000;

    /// <summary>Hashes computed at once; more would only queue on the CPU and starve the other endpoints.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount);
}
