using TaskFlow.ServiceDefaults.Requests;
using TaskFlow.Tasks.Apis.Requests;

namespace TaskFlow.Tasks.Apis;

/// <summary>
/// <c>GET /tasks/comments/batch?ids=&amp;limit=</c>: the first page of comments of many tasks in one call, for the
/// GraphQL service's comments DataLoader (as <c>/users/batch</c> is for users). Each task is read as
/// <c>GET /tasks/{id}/comments</c> reads it: through the task cache, with the caller's visibility; a task that is
/// unknown or not visible to the caller is left out, so the answer says nothing about it.
/// </summary>
public static class CommentBatchApi
{
    public const int MaxBatchIds = 100;

    /// <summary>Tasks read at once inside one batch: bounded, so one call never floods the cache or the database.</summary>
    private const int Parallelism = 8;

    public static IEndpointRouteBuilder MapCommentBatchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tasks/comments/batch", GetCommentBatch)
            .WithTags("Tasks")
            .RequireAuthorization(TasksApi.CallerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithParameterExample("ids", TaskExamples.TaskId, required: true)
            .WithName("GetCommentBatch")
            .WithSummary("The first comments of many tasks")
            .WithDescription("`ids`: 1-100 comma-separated task ids; `limit`: comments per task, 1-100 (default 20). Answers `{items: [{taskId, items: [Comment], nextCursor}]}` for the tasks visible to the caller, oldest comment first; later pages come from GET /tasks/{id}/comments with `nextCursor`.");
        return app;
    }

    public static async Task<Results<Ok<TaskCommentBatch>, ValidationProblem>> GetCommentBatch(
        string? ids, HttpRequest request, Caller caller, TaskCache cache, CommentRepository comments, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = TaskQueryParameters.ReadPaging(request.Query, errors);
        if (paging.Cursor is not null)
        {
            errors.Add("cursor", "A cursor belongs to one task: page on with GET /tasks/{id}/comments.");
        }

        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (wanted.Length is 0 or > MaxBatchIds)
        {
            errors.Add("ids", $"Give 1 to {MaxBatchIds} comma-separated task ids.");
        }
        else if (!wanted.All(TaskItem.IsId))
        {
            errors.Add("ids", "Every id must be a task id (a UUID).");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var pages = new TaskCommentsPage?[wanted.Length];
        await Parallel.ForAsync(0, wanted.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var task = await cache.GetCurrentAsync(wanted[i], ct);
                if (task is not null && TaskFailure.Denying(task, caller, TaskAction.View) is null)
                {
                    var page = await comments.ListAsync(task.Id, paging, after: null, ct);
                    pages[i] = new TaskCommentsPage(task.Id, page.Items, page.NextCursor);
                }
            });
        return TypedResults.Ok(new TaskCommentBatch([.. pages.OfType<TaskCommentsPage>()]));
    }
}
