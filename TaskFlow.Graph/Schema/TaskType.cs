using GraphQL.DataLoader;

namespace TaskFlow.Graph.Schema;

public sealed class TaskType : ObjectGraphType<TaskView>
{
    public TaskType()
    {
        Name = "Task";
        Description = "A task, with the fields of the REST Task plus its owner, assignee and comments.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<StringGraphType>("description").Resolve(c => c.Source.Description);
        Field<NonNullGraphType<TaskStatusType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<TaskPriorityType>>("priority").Resolve(c => c.Source.Priority);
        Field<DateTimeGraphType>("dueDate").Resolve(c => c.Source.DueDate);
        Field<IdGraphType>("assigneeId").Resolve(c => c.Source.AssigneeId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags").Resolve(c => c.Source.Tags);
        Field<NonNullGraphType<IdGraphType>>("ownerId").Resolve(c => c.Source.OwnerId);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Resolve(c => c.Source.UpdatedAt);
        Field<NonNullGraphType<LongGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<StringGraphType>>("etag")
            .Description("The REST ETag of this version (e.g. \"v3\"), to pass as updateTask's ifMatch.")
            .Resolve(c => ETag(c.Source.Version));

        Field<NonNullGraphType<UserType>>("owner")
            .Description("Loaded with every other user of the request in one batch.")
            .CallsPerBatch(GraphLimits.UserBatchSize)
            .Resolve(c => c.Request().Users.Load(c.Source.OwnerId));
        Field<UserType>("assignee")
            .Description("Loaded with every other user of the request in one batch.")
            .CallsPerBatch(GraphLimits.UserBatchSize)
            .Resolve(c => c.Source.AssigneeId is { } id ? c.Request().Users.Load(id) : null);

        Field<NonNullGraphType<CommentConnectionType>>("comments")
            .Description("Oldest first; the cursors are those of GET /tasks/{id}/comments. The first pages of many tasks are loaded in one batch.")
            .Argument<IntGraphType>("first", "Page size, 1-100 (REST limit; default 20).")
            .Argument<StringGraphType>("after", "endCursor of the previous page.")
            .CallsPerBatch(GraphLimits.CommentBatchSize, pagedBy: "first", unbatchedWith: "after")
            .Resolve(c => c.GetArgument<string?>("after") is { } after
                ? (IDataLoaderResult<GraphConnection<CommentView>>)new StartedLoad<GraphConnection<CommentView>>(NextPageAsync(c, after))
                : c.Request().Comments.Load(c.Source.Id, c.GetArgument<int?>("first")));
    }

    public static string ETag(long version) => $"\"v{version}\"";

    /// <summary>A page after the first: the cursor belongs to one task, so it is that task's own REST call.</summary>
    private static Task<GraphConnection<CommentView>> NextPageAsync(IResolveFieldContext<TaskView> context, string after) =>
        context.TracedAsync(async (api, ct) => GraphConnection<CommentView>.From(
            await api.GetAsync<RestPage<CommentView>>(Downstream.Tasks, "tasks.comments.list",
                RestQuery.Path($"/tasks/{RestQuery.Segment(context.Source.Id)}/comments",
                    ("limit", context.GetArgument<int?>("first")), ("cursor", after)), ct)));

    /// <summary>A result already on its way, in the shape of a DataLoader result so both branches of a resolver agree.</summary>
    private sealed class StartedLoad<T>(Task<T> load) : IDataLoaderResult<T>
    {
        public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => load;

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await load;
    }
}
