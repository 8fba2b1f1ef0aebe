namespace TaskFlow.Graph.Schema;

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        Description = "TaskFlow: tasks, comments, users, notifications and webhooks, with the visibility and permissions of the REST API.";

        Field<NonNullGraphType<UserType>>("me")
            .Description("The caller's account (GET /users/me).")
            .CallsOnce()
            .ResolveAsync(async c => await c.TracedAsync((api, ct) => api.GetAsync<UserView>(Downstream.Users, "users.me", "/users/me", ct)));

        Field<UserType>("user")
            .Description("An account by id (GET /users/{id}): the full account for self and admins, id and displayName for others.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .CallsOnce()
            .ResolveAsync(async c => await c.TracedAsync((api, ct) =>
                api.GetAsync<UserView>(Downstream.Users, "users.get", $"/users/{RestQuery.Segment(c.GetArgument<string>("id"))}", ct)));

        Field<TaskType>("task")
            .Description("A task by id (GET /tasks/{id}); null with a NOT_FOUND error when it does not exist or is not visible to the caller.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .CallsOnce()
            .ResolveAsync(async c => await c.TracedAsync((api, ct) =>
                api.GetAsync<TaskView>(Downstream.Tasks, "tasks.get", $"/tasks/{RestQuery.Segment(c.GetArgument<string>("id"))}", ct)));

        Field<NonNullGraphType<TaskConnectionType>>("tasks")
            .Description("Tasks visible to the caller (GET /tasks), with the same filters, sort and cursors.")
            .Argument<TaskStatusType>("status")
            .Argument<TaskPriorityType>("priority")
            .Argument<IdGraphType>("assigneeId")
            .Argument<StringGraphType>("tag")
            .Argument<StringGraphType>("q", "Text in title or description.")
            .Argument<StringGraphType>("dueBefore", "An ISO 8601 date or date-time.")
            .Argument<StringGraphType>("dueAfter", "An ISO 8601 date or date-time.")
            .Argument<StringGraphType>("sort", "createdAt, -createdAt, dueDate, -dueDate, priority or -priority.")
            .Argument<IntGraphType>("first", "Page size, 1-100 (default 20).")
            .Argument<StringGraphType>("after", "endCursor of the previous page.")
            .CallsOnce(pagedBy: "first")
            .ResolveAsync(async c => await c.TracedAsync(async (api, ct) => GraphConnection<TaskView>.From(
                await api.GetAsync<RestPage<TaskView>>(Downstream.Tasks, "tasks.list", RestQuery.Path("/tasks",
                    ("status", c.GetArgument<string?>("status")),
                    ("priority", c.GetArgument<string?>("priority")),
                    ("assigneeId", c.GetArgument<string?>("assigneeId")),
                    ("tag", c.GetArgument<string?>("tag")),
                    ("q", c.GetArgument<string?>("q")),
                    ("dueBefore", c.GetArgument<string?>("dueBefore")),
                    ("dueAfter", c.GetArgument<string?>("dueAfter")),
                    ("sort", c.GetArgument<string?>("sort")),
                    ("limit", c.GetArgument<int?>("first")),
                    ("cursor", c.GetArgument<string?>("after"))), ct))));

        Field<NonNullGraphType<NotificationConnectionType>>("notifications")
            .Description("The caller's notifications, newest first (GET /notifications).")
            .Argument<BooleanGraphType>("unread")
            .Argument<IntGraphType>("first", "Page size, 1-100 (default 20).")
            .Argument<StringGraphType>("after", "endCursor of the previous page.")
            .CallsOnce(pagedBy: "first")
            .ResolveAsync(async c => await c.TracedAsync(async (api, ct) => GraphConnection<NotificationView>.From(
                await api.GetAsync<RestPage<NotificationView>>(Downstream.Notifier, "notifications.list", RestQuery.Path("/notifications",
                    ("unread", c.GetArgument<bool?>("unread")),
                    ("limit", c.GetArgument<int?>("first")),
                    ("cursor", c.GetArgument<string?>("after"))), ct))));

        Field<NonNullGraphType<WebhookConnectionType>>("webhooks")
            .Description("The caller's own webhooks (GET /webhooks).")
            .Argument<IntGraphType>("first", "Page size, 1-100 (default 20).")
            .Argument<StringGraphType>("after", "endCursor of the previous page.")
            .CallsOnce(pagedBy: "first")
            .ResolveAsync(async c => await c.TracedAsync(async (api, ct) => GraphConnection<WebhookView>.From(
                await api.GetAsync<RestPage<WebhookView>>(Downstream.Webhooks, "webhooks.list", RestQuery.Path("/webhooks",
                    ("limit", c.GetArgument<int?>("first")),
                    ("cursor", c.GetArgument<string?>("after"))), ct))));

        Field<WebhookType>("webhook")
            .Description("One of the caller's webhooks (GET /webhooks/{id}); null with a NOT_FOUND error for anyone else's.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .CallsOnce()
            .ResolveAsync(async c => await c.TracedAsync((api, ct) =>
                api.GetAsync<WebhookView>(Downstream.Webhooks, "webhooks.get", $"/webhooks/{RestQuery.Segment(c.GetArgument<string>("id"))}", ct)));
    }
}
