namespace TaskFlow.Users.Infrastructure.Sessions;

public enum RefreshOutcome
{
    /// <summary>Unknown, expired or already revoked.</summary>
    Invalid,

    /// <summary>A token that was already rotated was presented again: the whole session has been revoked.</summary>
    Reused,

    Rotated,
}
