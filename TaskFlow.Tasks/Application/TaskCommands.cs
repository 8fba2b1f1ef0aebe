namespace TaskFlow.Tasks.Application;

/// <summary>
/// Every change to tasks and comments, and everything a change involves, in one place: who may make it
/// (<see cref="TaskFailure.Denying"/>), the If-Match check, the compare-and-set on the version with its retries, the
/// events staged in the written document (the MongoDB outbox), waking the relay, and the version stamp and cache entry
/// that let every replica read the change at once. Knows no HTTP: it answers with a <see cref="TaskOutcome{T}"/>.
/// </summary>
public sealed partial class TaskCommands(
    TaskRepository tasks,
    CommentRepository comments,
    TaskCache cache,
    TaskVersionStamps stamps,
    UserDirectory users,
    TaskEventOutbox outbox,
    TimeProvider clock,
    ILogger<TaskCommands> logger)
{
    /// <summary>A write that keeps losing the compare-and-set to other writers gives up after this many rounds.</summary>
    public const int MaxWriteAttempts = 5;

    /// <summary>
    /// A new task owned by the caller, staged with its <c>task.created</c>. <paramref name="authorization"/> is the
    /// caller's own credential, with which the assignee is looked up in the Users service.
    /// </summary>
    public async Task<TaskOutcome<TaskItem>> CreateAsync(
        TaskInput input, Caller caller, string? authorization, CancellationToken cancellationToken)
    {
        if (await CheckAssigneeAsync(input.AssigneeId, previous: null, caller, authorization, cancellationToken) is { } refused)
        {
            return refused;
        }

        var task = TaskItem.Create(input, caller.UserId, Now());
        var writtenAt = stamps.Now();
        await tasks.InsertAsync(task, outbox.Created(task, caller.UserId), cancellationToken);
        await cache.WrittenAsync(task, writtenAt, cancellationToken);
        LogTaskCreated(logger, task.Id, caller.UserId);
        return task;
    }

    /// <summary>Replaces the editable fields (owner or assignee), staged with <c>task.updated</c> (and <c>task.assigned</c>).</summary>
    public Task<TaskOutcome<TaskItem>> ReplaceAsync(
        string id, TaskInput input, Caller caller, VersionCondition ifMatch, string? authorization, CancellationToken cancellationToken)
    {
        var assigneeChecked = false;
        return ChangeAsync(id, caller, TaskAction.Edit, ifMatch, async current =>
        {
            // Looked up once, against the assignee as first read: a retry only applies the same input to a newer version.
            if (!assigneeChecked)
            {
                if (await CheckAssigneeAsync(input.AssigneeId, current.AssigneeId, caller, authorization, cancellationToken) is { } refused)
                {
                    return refused;
                }

                assigneeChecked = true;
            }

            var updated = current.Replace(input, Now());
            var events = outbox.Updated(current, updated, caller.UserId);
            var writtenAt = stamps.Now();
            if (!await tasks.ReplaceAsync(updated, current.Version, events, cancellationToken))
            {
                return null;
            }

            await WrittenAsync(updated, writtenAt, cancellationToken);
            return updated;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes a task (owner or admin): it becomes a tombstone carrying <c>task.deleted</c>, which the relay removes
    /// once the event is out. The result is the task as it was.
    /// </summary>
    public Task<TaskOutcome<TaskItem>> DeleteAsync(string id, Caller caller, VersionCondition ifMatch, CancellationToken cancellationToken) =>
        ChangeAsync(id, caller, TaskAction.Delete, ifMatch, async current =>
        {
            var deletedAt = Now();
            var events = outbox.Deleted(current, caller.UserId, deletedAt);
            var writtenAt = stamps.Now();
            if (!await tasks.MarkDeletedAsync(current.Id, current.Version, deletedAt, events, cancellationToken))
            {
                return null;
            }

            outbox.NotifyRelay();
            await cache.DeletedAsync(current.Id, current.Version, writtenAt, cancellationToken);
            await comments.DeleteForTaskAsync(current.Id, cancellationToken);
            LogTaskDeleted(logger, current.Id, caller.UserId);
            return current;
        }, cancellationToken);

    /// <summary>A comment by the owner or the assignee, staged with its <c>task.comment.added</c>.</summary>
    public async Task<TaskOutcome<TaskComment>> AddCommentAsync(string id, CommentInput input, Caller caller, CancellationToken cancellationToken)
    {
        var task = TaskItem.IsId(id) ? await tasks.FindAsync(id, cancellationToken) : null;
        if (task is null)
        {
            return new TaskFailure.NotFound();
        }

        if (TaskFailure.Denying(task, caller, TaskAction.Comment) is { } denied)
        {
            return denied;
        }

        var comment = TaskComment.Create(task.Id, caller.UserId, input.Body, Now());
        await comments.InsertAsync(comment, outbox.CommentAdded(task, comment), cancellationToken);
        return comment;
    }

    /// <summary>
    /// The one compare-and-set loop of every change to an existing task: read it, check access and If-Match, and let
    /// <paramref name="write"/> write at the version read; its null means another writer got in between. Without
    /// If-Match the client asked for "change whatever is there", so the change is retried on the fresh state; with it,
    /// the version the client had seen is gone: a failed precondition.
    /// </summary>
    private async Task<TaskOutcome<TaskItem>> ChangeAsync(
        string id, Caller caller, TaskAction action, VersionCondition ifMatch, Func<TaskItem, Task<TaskOutcome<TaskItem>?>> write,
        CancellationToken cancellationToken)
    {
        if (!TaskItem.IsId(id))
        {
            return new TaskFailure.NotFound();
        }

        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var current = await tasks.FindAsync(id, cancellationToken);
            if (current is null)
            {
                return new TaskFailure.NotFound();
            }

            if (TaskFailure.Denying(current, caller, action) is { } denied)
            {
                return denied;
            }

            if (!ifMatch.Allows(current.Version))
            {
                return new TaskFailure.PreconditionFailed(current.Version);
            }

            if (await write(current) is { } outcome)
            {
                return outcome;
            }

            if (ifMatch.IsConditional)
            {
                return new TaskFailure.PreconditionFailed(null);
            }
        }

        return new TaskFailure.Conflict();
    }

    /// <summary>
    /// After a committed create or update: wakes the relay for the staged events, then raises the version stamp and
    /// caches the new version (see <see cref="TaskCache.WrittenAsync"/>) before anyone is answered.
    /// </summary>
    private async Task WrittenAsync(TaskItem task, long writtenAt, CancellationToken cancellationToken)
    {
        outbox.NotifyRelay();
        await cache.WrittenAsync(task, writtenAt, cancellationToken);
    }

    /// <summary>
    /// An assignee must be an existing user. Unchanged assignees and self-assignment need no lookup (the caller's
    /// token proves the caller exists).
    /// </summary>
    private async Task<TaskFailure?> CheckAssigneeAsync(
        string? assigneeId, string? previous, Caller caller, string? authorization, CancellationToken cancellationToken)
    {
        if (assigneeId is null || assigneeId == previous || assigneeId == caller.UserId)
        {
            return null;
        }

        return await users.FindAsync(assigneeId, authorization, cancellationToken) switch
        {
            UserLookup.NotFound => new TaskFailure.Invalid("assigneeId", "No user with this id exists."),
            UserLookup.Unavailable => new TaskFailure.UsersUnavailable(),
            _ => null,
        };
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    // Debug: one line per created task is telemetry volume on the hot path; the request span already records it.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} created by {UserId}")]
    private static partial void LogTaskCreated(ILogger logger, string taskId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} deleted by {UserId}")]
    private static partial void LogTaskDeleted(ILogger logger, string taskId, string userId);
}
