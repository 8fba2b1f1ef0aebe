namespace TaskFlow.Tasks.Application;

/// <summary>
/// What a caller may read: a task they can see (through <see cref="TaskCache"/>), a page of the tasks they can see,
/// a page of a visible task's comments. A page cursor must have been issued for the same query.
/// </summary>
public sealed class TaskReads(TaskRepository tasks, CommentRepository comments, TaskCache cache)
{
    public async Task<TaskOutcome<TaskItem>> GetAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await FindVisibleAsync(id, caller, cancellationToken) is { } task ? task : new TaskFailure.NotFound();

    public async Task<TaskOutcome<Page<TaskItem>>> ListAsync(Caller caller, TaskListQuery query, CancellationToken cancellationToken)
    {
        if (DecodeCursor(query.Paging.Cursor, query.Sort.Key, query.Fingerprint, query.Sort.Accepts, out var after) is { } invalid)
        {
            return invalid;
        }

        return await tasks.ListAsync(TaskVisibility.ScopeFor(caller), query, after, cancellationToken);
    }

    /// <summary>Oldest first; a task the caller cannot see has no comments for them, it is not found.</summary>
    public async Task<TaskOutcome<Page<TaskComment>>> ListCommentsAsync(string id, Caller caller, Paging paging, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(id, caller, cancellationToken) is not { } task)
        {
            return new TaskFailure.NotFound();
        }

        var fingerprint = CommentRepository.FingerprintFor(task.Id);
        if (DecodeCursor(paging.Cursor, CommentRepository.Sort, fingerprint, value => value is not null, out var after) is { } invalid)
        {
            return invalid;
        }

        return await comments.ListAsync(task.Id, paging, after, cancellationToken);
    }

    // A cache hit costs one Redis GET (the version stamp) and no MongoDB command; see TaskCache.
    private async Task<TaskItem?> FindVisibleAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var task = TaskItem.IsId(id) ? await cache.GetCurrentAsync(id, cancellationToken) : null;
        return task is not null && TaskFailure.Denying(task, caller, TaskAction.View) is null ? task : null;
    }

    /// <summary>No cursor, or one of ours for this sort and query whose sort value <paramref name="accepts"/> takes.</summary>
    private static TaskFailure? DecodeCursor(string? token, string sort, string fingerprint, Func<long?, bool> accepts, out PageCursor? after)
    {
        after = null;
        if (token is null)
        {
            return null;
        }

        after = PageCursor.Decode(token, sort, fingerprint, out var error);
        return after is not null && accepts(after.Value) ? null : new TaskFailure.Invalid("cursor", error ?? "The cursor is not valid.");
    }
}
