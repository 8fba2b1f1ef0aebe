namespace TaskFlow.Tasks.Apis;

/// <summary>The problem+json answers of the task handlers.</summary>
internal static class TaskProblems
{
    public static ProblemHttpResult UsersUnavailable() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Users service unavailable",
        detail: "The assignee could not be checked right now; try again shortly.");

    public static ProblemHttpResult PreconditionFailed(long? currentVersion) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Precondition failed",
        detail: currentVersion is { } version
            ? $"The task has changed; its current ETag is {EntityTags.For(version)}. Fetch it again and reapply your change."
            : "The task was changed by someone else meanwhile. Fetch it again and reapply your change.");

    public static ProblemHttpResult TooMuchContention() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Conflict",
        detail: "The task is being changed by others right now; try again.");
}
