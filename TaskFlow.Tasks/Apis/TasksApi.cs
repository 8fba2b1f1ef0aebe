using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskFlow.ServiceDefaults.Errors;
using TaskFlow.ServiceDefaults.Requests;
using TaskFlow.Tasks.Apis.Requests;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.Model;

namespace TaskFlow.Tasks.Apis;

/// <summary>The Tasks part of API.md: tasks with ETag concurrency, keyset-paged lists, and comments.</summary>
public static partial class TasksApi
{
    public const string CallerPolicy = "TaskFlowCaller";

    /// <summary>API.md: a body over 1 MiB is a 413.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    /// <summary>A write that keeps losing the compare-and-set to other writers gives up after this many rounds.</summary>
    private const int MaxWriteAttempts = 5;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/tasks")
            .WithTags("Tasks")
            .RequireAuthorization(CallerPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/", CreateTask)
            .WithIdempotency()
            .WithName("CreateTask")
            .WithSummary("Create a task")
            .WithDescription("Creates a task owned by the caller. Returns it with its Location and ETag.")
            .ProducesResponseHeader(StatusCodes.Status201Created, "ETag", "The task's version as a strong entity tag.")
            .Accepts<TaskInput>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List visible tasks")
            .WithDescription("Tasks the caller owns or is assigned to (all tasks for admins), filtered and sorted, in pages linked by an opaque cursor.");

        api.MapGet("/{id}", GetTask)
            .WithName("GetTask")
            .WithSummary("Get a task")
            .WithDescription("Returns the task with a strong ETag; 304 when If-None-Match names the current version; 404 when it does not exist or is not visible to the caller.")
            .ProducesResponseHeader(StatusCodes.Status200OK, "ETag", "The task's version as a strong entity tag.")
            .ProducesResponseHeader(StatusCodes.Status304NotModified, "ETag", "The task's current version.");

        api.MapPut("/{id}", ReplaceTask)
            .WithName("ReplaceTask")
            .WithSummary("Replace a task's editable fields")
            .WithDescription("Full replacement by the owner or the assignee. With If-Match, a task changed since that ETag is a 412. The version increments.")
            .ProducesResponseHeader(StatusCodes.Status200OK, "ETag", "The task's new version as a strong entity tag.")
            .Accepts<TaskInput>("application/json")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapDelete("/{id}", DeleteTask)
            .WithName("DeleteTask")
            .WithSummary("Delete a task")
            .WithDescription("Owner or admin only; the assignee gets 403.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        api.MapPost("/{id}/comments", AddComment)
            .WithIdempotency()
            .WithName("AddComment")
            .WithSummary("Comment on a task")
            .WithDescription("The owner or the assignee adds a comment of 1 to 5000 characters.")
            .Accepts<CommentInput>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("/{id}/comments", ListComments)
            .WithName("ListComments")
            .WithSummary("List a task's comments")
            .WithDescription("Oldest first, in pages linked by an opaque cursor.");

        return app;
    }

    public static async Task<Results<Created<TaskItem>, ValidationProblem, ProblemHttpResult>> CreateTask(
        HttpContext http, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        var body = await JsonBodyReader.ReadAsync(http.Request, TaskRequestBodies.ReadTask, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (body.Value is not { } input)
        {
            return body.ValidationProblem();
        }

        switch (await CheckAssigneeAsync(input.AssigneeId, previous: null, caller, http, services, cancellationToken))
        {
            case UserLookup.NotFound:
                return TaskProblems.UnknownAssignee();
            case UserLookup.Unavailable:
                return TaskProblems.UsersUnavailable();
        }

        var task = TaskItem.Create(input, caller.UserId, services.Clock.GetUtcNow().UtcDateTime);
        var writtenAt = services.Stamps.Now();
        await services.Tasks.InsertAsync(task, services.Outbox.Created(task, caller.UserId), cancellationToken);
        TaskWritten(services);
        await services.Cache.WrittenAsync(task, writtenAt, cancellationToken);
        LogTaskCreated(services.Logger, task.Id, caller.UserId);

        http.Response.Headers.ETag = EntityTags.For(task.Version);
        return TypedResults.Created($"/tasks/{task.Id}", task);
    }

    public static async Task<Results<Ok<TaskItem>, StatusCodeHttpResult, NotFound>> GetTask(
        string id, HttpContext http, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        if (!IsTaskId(id))
        {
            return TypedResults.NotFound();
        }

        // A cache hit costs one Redis GET (the version stamp) and no MongoDB command; see TaskCache.
        var task = await services.Cache.GetCurrentAsync(id, cancellationToken);
        if (task is null || TaskVisibility.Decide(Head(task), caller, TaskAction.View) == TaskAccess.NotVisible)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ETag = EntityTags.For(task.Version);
        return EntityTags.IfNoneMatchHits(http.Request.Headers.IfNoneMatch, task.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(task);
    }

    public static async Task<Results<Ok<TaskItem>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> ReplaceTask(
        string id, HttpContext http, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        var body = await JsonBodyReader.ReadAsync(http.Request, TaskRequestBodies.ReadTask, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (body.Value is not { } input)
        {
            return body.ValidationProblem();
        }

        if (!IsTaskId(id))
        {
            return TypedResults.NotFound();
        }

        var ifMatch = http.Request.Headers.IfMatch;
        var assigneeChecked = false;
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var current = await services.Tasks.FindAsync(id, cancellationToken);
            if (current is null)
            {
                return TypedResults.NotFound();
            }

            switch (TaskVisibility.Decide(Head(current), caller, TaskAction.Edit))
            {
                case TaskAccess.NotVisible:
                    return TypedResults.NotFound();
                case TaskAccess.Forbidden:
                    return TypedResults.Forbid();
            }

            if (!EntityTags.IfMatchAllows(ifMatch, current.Version))
            {
                return TaskProblems.PreconditionFailed(current.Version);
            }

            if (!assigneeChecked)
            {
                switch (await CheckAssigneeAsync(input.AssigneeId, current.AssigneeId, caller, http, services, cancellationToken))
                {
                    case UserLookup.NotFound:
                        return TaskProblems.UnknownAssignee();
                    case UserLookup.Unavailable:
                        return TaskProblems.UsersUnavailable();
                }

                assigneeChecked = true;
            }

            var updated = current.Replace(input, services.Clock.GetUtcNow().UtcDateTime);
            var events = services.Outbox.Updated(current, updated, caller.UserId);
            var writtenAt = services.Stamps.Now();
            if (await services.Tasks.ReplaceAsync(updated, current.Version, events, cancellationToken))
            {
                TaskWritten(services);
                await services.Cache.WrittenAsync(updated, writtenAt, cancellationToken);
                http.Response.Headers.ETag = EntityTags.For(updated.Version);
                return TypedResults.Ok(updated);
            }

            // Another writer got in between our read and our write. With If-Match the client asked for the version
            // it had seen, which is gone: 412. Without it, the client asked for "replace whatever is there": retry.
            if (!Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(ifMatch))
            {
                return TaskProblems.PreconditionFailed(null);
            }
        }

        return TaskProblems.TooMuchContention();
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, ProblemHttpResult>> DeleteTask(
        string id, HttpContext http, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        if (!IsTaskId(id))
        {
            return TypedResults.NotFound();
        }

        var ifMatch = http.Request.Headers.IfMatch;
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var current = await services.Tasks.FindAsync(id, cancellationToken);
            if (current is null)
            {
                return TypedResults.NotFound();
            }

            switch (TaskVisibility.Decide(Head(current), caller, TaskAction.Delete))
            {
                case TaskAccess.NotVisible:
                    return TypedResults.NotFound();
                case TaskAccess.Forbidden:
                    return TypedResults.Forbid();
            }

            if (!EntityTags.IfMatchAllows(ifMatch, current.Version))
            {
                return TaskProblems.PreconditionFailed(current.Version);
            }

            var now = services.Clock.GetUtcNow().UtcDateTime;
            var events = services.Outbox.Deleted(current, caller.UserId, now);
            var writtenAt = services.Stamps.Now();
            if (await services.Tasks.MarkDeletedAsync(id, current.Version, now, events, cancellationToken))
            {
                TaskWritten(services);
                await services.Cache.DeletedAsync(id, current.Version, writtenAt, cancellationToken);
                await services.Comments.DeleteForTaskAsync(id, cancellationToken);
                LogTaskDeleted(services.Logger, id, caller.UserId);
                return TypedResults.NoContent();
            }

            if (!Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(ifMatch))
            {
                return TaskProblems.PreconditionFailed(null);
            }
        }

        return TaskProblems.TooMuchContention();
    }

    public static async Task<Results<Ok<Page<TaskItem>>, ValidationProblem>> ListTasks(
        HttpRequest request, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var query = TaskQueryParameters.ReadTaskList(request.Query, errors);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        PageCursor? after = null;
        if (query.Paging.Cursor is { } token)
        {
            after = PageCursor.Decode(token, query.Sort.Key, query.Fingerprint, out var cursorError);
            if (after is null || !query.Sort.Accepts(after.Value))
            {
                errors.Add("cursor", cursorError ?? "The cursor is not valid.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
        }

        var page = await services.Tasks.ListAsync(TaskVisibility.ScopeFor(caller), query, after, cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Created<TaskComment>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> AddComment(
        string id, HttpContext http, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        var body = await JsonBodyReader.ReadAsync(http.Request, TaskRequestBodies.ReadComment, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (body.Value is not { } input)
        {
            return body.ValidationProblem();
        }

        var task = IsTaskId(id) ? await services.Tasks.FindAsync(id, cancellationToken) : null;
        if (task is null)
        {
            return TypedResults.NotFound();
        }

        switch (TaskVisibility.Decide(Head(task), caller, TaskAction.Comment))
        {
            case TaskAccess.NotVisible:
                return TypedResults.NotFound();
            case TaskAccess.Forbidden:
                return TypedResults.Forbid();
        }

        var comment = TaskComment.Create(task.Id, caller.UserId, input.Body, services.Clock.GetUtcNow().UtcDateTime);
        await services.Comments.InsertAsync(comment, services.Outbox.CommentAdded(task, comment), cancellationToken);
        TaskWritten(services);
        return TypedResults.Created($"/tasks/{task.Id}/comments", comment);
    }

    public static async Task<Results<Ok<Page<TaskComment>>, NotFound, ValidationProblem>> ListComments(
        string id, HttpRequest request, Caller caller, TaskServices services, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = TaskQueryParameters.ReadPaging(request.Query, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var task = IsTaskId(id) ? await services.Cache.GetCurrentAsync(id, cancellationToken) : null;
        if (task is null || TaskVisibility.Decide(Head(task), caller, TaskAction.View) == TaskAccess.NotVisible)
        {
            return TypedResults.NotFound();
        }

        var head = Head(task);

        PageCursor? after = null;
        if (paging.Cursor is { } token)
        {
            after = PageCursor.Decode(token, CommentRepository.Sort, CommentRepository.FingerprintFor(head.Id), out var cursorError);
            if (after is null || after.Value is null)
            {
                errors.Add("cursor", cursorError ?? "The cursor is not valid.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
        }

        return TypedResults.Ok(await services.Comments.ListAsync(head.Id, paging, after, cancellationToken));
    }

    /// <summary>
    /// An assignee must be an existing user. Unchanged assignees and self-assignment need no lookup (the caller's
    /// token proves the caller exists).
    /// </summary>
    private static async Task<UserLookup> CheckAssigneeAsync(
        string? assigneeId, string? previous, Caller caller, HttpContext http, TaskServices services, CancellationToken cancellationToken)
    {
        if (assigneeId is null || assigneeId == previous || assigneeId == caller.UserId)
        {
            return UserLookup.Exists;
        }

        return await services.Users.FindAsync(assigneeId, http.Request.Headers.Authorization, cancellationToken);
    }

    private static TaskHead Head(TaskItem task) => new(task.Id, task.OwnerId, task.AssigneeId, task.Version);

    /// <summary>Ids are UUIDs; anything else cannot name a task, so it is a 404 without a database round trip.</summary>
    private static bool IsTaskId(string id) => id.Length == 36 && Guid.TryParseExact(id, "D", out _);

    private static void TaskWritten(TaskServices services) => services.Outbox.NotifyRelay();

    // Debug: one line per created task is telemetry volume on the hot path; the request span already records it.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} created by {UserId}")]
    private static partial void LogTaskCreated(ILogger logger, string taskId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} deleted by {UserId}")]
    private static partial void LogTaskDeleted(ILogger logger, string taskId, string userId);
}
