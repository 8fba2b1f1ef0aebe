namespace TaskFlow.Tasks.Application;

/// <summary>What a task command or query came to: <see cref="Done"/> with its result, or <see cref="Failed"/> with why.</summary>
public abstract record TaskOutcome<T>
{
    private TaskOutcome()
    {
    }

    public static implicit operator TaskOutcome<T>(T value) => new Done(value);

    public static implicit operator TaskOutcome<T>(TaskFailure failure) => new Failed(failure);

    public sealed record Done(T Value) : TaskOutcome<T>;

    public sealed record Failed(TaskFailure Failure) : TaskOutcome<T>;
}
