using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using TaskFlow.ServiceDefaults.Requests;
using TaskFlow.Tasks.Apis.Requests;

namespace TaskFlow.Tasks.Apis;

// What each route answers; the OpenAPI document is generated from these types.
using AddCommentResult = Results<Created<TaskComment>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>;
using CreateTaskResult = Results<Created<TaskItem>, ValidationProblem, ProblemHttpResult>;
using DeleteTaskResult = Results<NoContent, NotFound, ForbidHttpResult, ProblemHttpResult>;
using GetTaskResult = Results<Ok<TaskItem>, StatusCodeHttpResult, NotFound>;
using ListCommentsResult = Results<Ok<Page<TaskComment>>, NotFound, ValidationProblem>;
using ListTasksResult = Results<Ok<Page<TaskItem>>, ValidationProblem>;
using ReplaceTaskResult = Results<Ok<TaskItem>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>;

/// <summary>
/// The Tasks part of API.md: tasks with ETag concurrency, keyset-paged lists, and comments. A handler reads the
/// request (<see cref="TaskRequestBodies"/>, <see cref="TaskQueryParameters"/>, <see cref="EntityTags"/>), calls the
/// application layer (<see cref="TaskCommands"/>, <see cref="TaskReads"/>) and answers through <see cref="Respond"/>.
/// </summary>
public static class TasksApi
{
    public const string CallerPolicy = "TaskFlowCaller";

    /// <summary>API.md: a body over 1 MiB is a 413.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/tasks")
            .WithTags("Tasks")
            .RequireAuthorization(CallerPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/", CreateTask)
            .WithName("CreateTask")
            .WithSummary("Create a task")
            .WithDescription("Creates a task owned by the caller. Returns it with its Location and ETag.")
            .WithRequestExample(TaskExamples.Task)
            .ProducesResponseHeader(StatusCodes.Status201Created, "ETag", "The task's version as a strong entity tag.")
            .AcceptsJson<TaskInput>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithIdempotency();

        api.MapGet("/", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List visible tasks")
            .WithDescription("Tasks the caller owns or is assigned to (all tasks for admins), filtered and sorted, in pages linked by an opaque cursor.");

        api.MapGet("/{id}", GetTask)
            .WithName("GetTask")
            .WithParameterExample("id", TaskExamples.TaskId)
            .WithSummary("Get a task")
            .WithDescription("Returns the task with a strong ETag; 304 when If-None-Match names the current version; 404 when it does not exist or is not visible to the caller.")
            .ProducesResponseHeader(StatusCodes.Status200OK, "ETag", "The task's version as a strong entity tag.")
            .ProducesResponseHeader(StatusCodes.Status304NotModified, "ETag", "The task's current version.");

        api.MapPut("/{id}", ReplaceTask)
            .WithName("ReplaceTask")
            .WithParameterExample("id", TaskExamples.TaskId)
            .WithRequestExample(TaskExamples.Task)
            .WithSummary("Replace a task's editable fields")
            .WithDescription("Full replacement by the owner or the assignee. With If-Match, a task changed since that ETag is a 412. The version increments.")
            .ProducesResponseHeader(StatusCodes.Status200OK, "ETag", "The task's new version as a strong entity tag.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .AcceptsJson<TaskInput>();

        api.MapDelete("/{id}", DeleteTask)
            .WithName("DeleteTask")
            .WithParameterExample("id", TaskExamples.TaskId)
            .WithSummary("Delete a task")
            .WithDescription("Owner or admin only; the assignee gets 403.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        api.MapPost("/{id}/comments", AddComment)
            .WithName("AddComment")
            .WithParameterExample("id", TaskExamples.TaskId)
            .WithRequestExample(TaskExamples.Comment)
            .WithSummary("Comment on a task")
            .WithDescription("The owner or the assignee adds a comment of 1 to 5000 characters.")
            .AcceptsJson<CommentInput>()
            .WithIdempotency();

        api.MapGet("/{id}/comments", ListComments)
            .WithName("ListComments")
            .WithParameterExample("id", TaskExamples.TaskId)
            .WithSummary("List a task's comments")
            .WithDescription("Oldest first, in pages linked by an opaque cursor.");

        return app;
    }

    /// <summary>A JSON body of <typeparamref name="TBody"/>; any other content type is a 415.</summary>
    private static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder route)
        where TBody : notnull =>
        route.Accepts<TBody>("application/json").ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    public static Task<CreateTaskResult> CreateTask(
        HttpContext http, Caller caller, TaskCommands commands, CancellationToken cancellationToken) =>
        WithBodyAsync(http, TaskRequestBodies.ReadTask, cancellationToken, async input =>
        {
            var outcome = await commands.CreateAsync(input, caller, http.Request.Headers.Authorization, cancellationToken);
            return Respond(outcome, CreateTaskResult (task) => TypedResults.Created($"/tasks/{task.Id}", Tagged(http, task)));
        });

    public static async Task<GetTaskResult> GetTask(
        string id, HttpContext http, Caller caller, TaskReads reads, CancellationToken cancellationToken)
    {
        var outcome = await reads.GetAsync(id, caller, cancellationToken);
        return Respond(outcome, GetTaskResult (task) => EntityTags.IfNoneMatchHits(http.Request.Headers.IfNoneMatch, Tagged(http, task).Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(task));
    }

    public static Task<ReplaceTaskResult> ReplaceTask(
        string id, HttpContext http, Caller caller, TaskCommands commands, CancellationToken cancellationToken) =>
        WithBodyAsync(http, TaskRequestBodies.ReadTask, cancellationToken, async input =>
        {
            var ifMatch = EntityTags.IfMatch(http.Request.Headers.IfMatch);
            var outcome = await commands.ReplaceAsync(id, input, caller, ifMatch, http.Request.Headers.Authorization, cancellationToken);
            return Respond(outcome, ReplaceTaskResult (task) => TypedResults.Ok(Tagged(http, task)));
        });

    public static async Task<DeleteTaskResult> DeleteTask(
        string id, HttpContext http, Caller caller, TaskCommands commands, CancellationToken cancellationToken)
    {
        var outcome = await commands.DeleteAsync(id, caller, EntityTags.IfMatch(http.Request.Headers.IfMatch), cancellationToken);
        return Respond(outcome, DeleteTaskResult (_) => TypedResults.NoContent());
    }

    public static async Task<ListTasksResult> ListTasks(
        HttpRequest request, Caller caller, TaskReads reads, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (TaskQueryParameters.ReadTaskList(request.Query, errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var outcome = await reads.ListAsync(caller, query, cancellationToken);
        return Respond(outcome, ListTasksResult (page) => TypedResults.Ok(page));
    }

    public static Task<AddCommentResult> AddComment(
        string id, HttpContext http, Caller caller, TaskCommands commands, CancellationToken cancellationToken) =>
        WithBodyAsync(http, TaskRequestBodies.ReadComment, cancellationToken, async input =>
        {
            var outcome = await commands.AddCommentAsync(id, input, caller, cancellationToken);
            return Respond(outcome, AddCommentResult (comment) => TypedResults.Created($"/tasks/{comment.TaskId}/comments", comment));
        });

    public static async Task<ListCommentsResult> ListComments(
        string id, HttpRequest request, Caller caller, TaskReads reads, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = TaskQueryParameters.ReadPaging(request.Query, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var outcome = await reads.ListCommentsAsync(id, caller, paging, cancellationToken);
        return Respond(outcome, ListCommentsResult (page) => TypedResults.Ok(page));
    }

    /// <summary>
    /// Reads the JSON body with <paramref name="read"/> and hands the input to <paramref name="handle"/>; a body that is
    /// not JSON (415, 400) or not valid (400 with the field errors) is answered without calling it.
    /// </summary>
    private static async Task<TResult> WithBodyAsync<TInput, TResult>(
        HttpContext http, Func<JsonElement, ValidationErrors, TInput?> read, CancellationToken cancellationToken, Func<TInput, Task<TResult>> handle)
        where TInput : class
        where TResult : IResult
    {
        var body = await JsonBodyReader.ReadAsync(http.Request, read, cancellationToken);
        if (body.Value is { } input)
        {
            return await handle(input);
        }

        return ResultUnion<TResult>.From(body.Problem ?? (IResult)body.ValidationProblem());
    }

    /// <summary>
    /// The one translation of outcomes to HTTP: a result goes through <paramref name="ok"/>; a failure becomes its
    /// status (404 never says whether the task exists; 412 names the current ETag when it is known) inside the
    /// route's own <c>Results&lt;…&gt;</c>.
    /// </summary>
    private static TResult Respond<T, TResult>(TaskOutcome<T> outcome, Func<T, TResult> ok)
        where TResult : IResult => outcome switch
        {
            TaskOutcome<T>.Done done => ok(done.Value),
            TaskOutcome<T>.Failed { Failure: var failure } => ResultUnion<TResult>.From(failure switch
            {
                TaskFailure.NotFound => TypedResults.NotFound(),
                TaskFailure.Forbidden => TypedResults.Forbid(),
                TaskFailure.PreconditionFailed(var currentVersion) => TaskProblems.PreconditionFailed(currentVersion),
                TaskFailure.Conflict => TaskProblems.TooMuchContention(),
                TaskFailure.UsersUnavailable => TaskProblems.UsersUnavailable(),
                TaskFailure.Invalid(var field, var message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }),
                _ => throw new UnreachableException($"No answer for {failure}."),
            }),
            _ => throw new UnreachableException($"No answer for {outcome}."),
        };

    /// <summary>Every task representation carries its version as a strong ETag.</summary>
    private static TaskItem Tagged(HttpContext http, TaskItem task)
    {
        http.Response.Headers.ETag = EntityTags.For(task.Version);
        return task;
    }
}
