namespace TaskFlow.Users.Infrastructure.Passwords;

public enum PasswordCheck
{
    Failed,
    Succeeded,

    /// <summary>Correct, but hashed with an older work factor: store a fresh hash.</summary>
    SucceededRehashNeeded,
}
