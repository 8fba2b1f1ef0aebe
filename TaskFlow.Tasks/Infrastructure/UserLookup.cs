namespace TaskFlow.Tasks.Infrastructure;

public enum UserLookup
{
    Exists,
    NotFound,

    /// <summary>The Users service did not give an answer (down, timing out, refusing): the caller gets a 503.</summary>
    Unavailable,
}
