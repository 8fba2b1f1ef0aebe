namespace TaskFlow.Tasks.Application;

/// <summary>
/// Why a task command or query has no result. Nothing was changed and no event was staged. <c>TasksApi</c> turns each
/// case into its HTTP answer in one place.
/// </summary>
public abstract record TaskFailure
{
    private TaskFailure()
    {
    }

    /// <summary>
    /// The failure of a caller who may not perform <paramref name="action"/> on <paramref name="task"/>, or null when
    /// they may: unseen tasks do not exist for the caller, seen ones are forbidden (<see cref="TaskVisibility"/>).
    /// </summary>
    public static TaskFailure? Denying(TaskItem task, Caller caller, TaskAction action) =>
        TaskVisibility.Decide(task.ToHead(), caller, action) switch
        {
            TaskAccess.NotVisible => new NotFound(),
            TaskAccess.Forbidden => new Forbidden(),
            _ => null,
        };

    /// <summary>No such task, deleted, or not visible to the caller: never reveals which.</summary>
    public sealed record NotFound : TaskFailure;

    /// <summary>The caller sees the task but may not do this to it.</summary>
    public sealed record Forbidden : TaskFailure;

    /// <summary>
    /// The write named versions (If-Match) and the task is at none of them; <see cref="CurrentVersion"/> is null when
    /// the version it had moved on while the write was being made.
    /// </summary>
    public sealed record PreconditionFailed(long? CurrentVersion) : TaskFailure;

    /// <summary>An unconditional write lost the compare-and-set to other writers every time it tried.</summary>
    public sealed record Conflict : TaskFailure;

    /// <summary>The Users service gave no answer about the assignee.</summary>
    public sealed record UsersUnavailable : TaskFailure;

    /// <summary>A value of the request is not acceptable: <see cref="Field"/> is its API name.</summary>
    public sealed record Invalid(string Field, string Message) : TaskFailure;
}
