namespace TaskFlow.Graph.Schema;

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";

        Field<NonNullGraphType<TaskType>>("createTask")
            .Description("POST /tasks.")
            .Argument<NonNullGraphType<TaskInputType>>("input")
            .CallsOnce()
            .ResolveAsync(async c => await c.MutateAsync((api, ct) => api.SendAsync<TaskView>(
                Downstream.Tasks, "tasks.create", HttpMethod.Post, "/tasks", Input(c), ifMatch: null, ct)));

        Field<NonNullGraphType<TaskType>>("updateTask")
            .Description("PUT /tasks/{id}: a full replacement of the editable fields. With ifMatch (a Task.etag) a task changed since then is PRECONDITION_FAILED.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<TaskInputType>>("input")
            .Argument<StringGraphType>("ifMatch")
            .CallsOnce()
            .ResolveAsync(async c => await c.MutateAsync((api, ct) => api.SendAsync<TaskView>(
                Downstream.Tasks, "tasks.replace", HttpMethod.Put, $"/tasks/{RestQuery.Segment(c.GetArgument<string>("id"))}",
                Input(c), EntityTag(c.GetArgument<string?>("ifMatch")), ct)));

        NoContentField("deleteTask", "DELETE /tasks/{id}: owner or admin only.",
            Downstream.Tasks, "tasks.delete", HttpMethod.Delete, id => $"/tasks/{id}");

        Field<NonNullGraphType<CommentType>>("addComment")
            .Description("POST /tasks/{id}/comments: owner or assignee, 1-5000 characters.")
            .Argument<NonNullGraphType<IdGraphType>>("taskId")
            .Argument<NonNullGraphType<StringGraphType>>("body")
            .CallsOnce()
            .ResolveAsync(async c => await c.MutateAsync((api, ct) => api.SendAsync<CommentView>(
                Downstream.Tasks, "tasks.comments.add", HttpMethod.Post, $"/tasks/{RestQuery.Segment(c.GetArgument<string>("taskId"))}/comments",
                new { body = c.GetArgument<string>("body") }, ifMatch: null, ct)));

        NoContentField("markNotificationRead", "POST /notifications/{id}/read.",
            Downstream.Notifier, "notifications.read", HttpMethod.Post, id => $"/notifications/{id}/read");

        Field<NonNullGraphType<CreatedWebhookType>>("createWebhook")
            .Description("POST /webhooks: the webhook and its signing secret, which is shown only in this answer.")
            .Argument<NonNullGraphType<WebhookInputType>>("input")
            .CallsOnce()
            .ResolveAsync(async c => await c.MutateAsync((api, ct) => api.SendAsync<CreatedWebhookView>(
                Downstream.Webhooks, "webhooks.create", HttpMethod.Post, "/webhooks", Input(c), ifMatch: null, ct)));

        NoContentField("deleteWebhook", "DELETE /webhooks/{id}: nothing more is delivered to it. NOT_FOUND for anyone but its owner.",
            Downstream.Webhooks, "webhooks.delete", HttpMethod.Delete, id => $"/webhooks/{id}");

        Field<NonNullGraphType<StringGraphType>>("rotateWebhookSecret")
            .Description("POST /webhooks/{id}/rotate-secret: the new secret (shown only here); for 24 h deliveries are signed with both.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .CallsOnce()
            .ResolveAsync(async c => (await c.MutateAsync((api, ct) => api.SendAsync<WebhookSecret>(
                Downstream.Webhooks, "webhooks.rotate-secret", HttpMethod.Post,
                $"/webhooks/{RestQuery.Segment(c.GetArgument<string>("id"))}/rotate-secret", body: null, ifMatch: null, ct))).Secret);

        Field<NonNullGraphType<BooleanGraphType>>("redeliverWebhookDelivery")
            .Description("POST /webhooks/{id}/deliveries/{deliveryId}/redeliver: the event is delivered again, with the same webhook-id.")
            .Argument<NonNullGraphType<IdGraphType>>("webhookId")
            .Argument<NonNullGraphType<IdGraphType>>("deliveryId")
            .CallsOnce()
            .ResolveAsync(async c => await c.MutateAsync(async (api, ct) =>
            {
                await api.SendAsync(Downstream.Webhooks, "webhooks.deliveries.redeliver", HttpMethod.Post,
                    $"/webhooks/{RestQuery.Segment(c.GetArgument<string>("webhookId"))}/deliveries/{RestQuery.Segment(c.GetArgument<string>("deliveryId"))}/redeliver", ct);
                return true;
            }));
    }

    /// <summary>A mutation whose REST call answers 204 with no body: <c>true</c> once the call succeeded.</summary>
    private void NoContentField(string name, string description, string service, string endpoint, HttpMethod method, Func<string, string> path) =>
        Field<NonNullGraphType<BooleanGraphType>>(name)
            .Description(description)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .CallsOnce()
            .ResolveAsync(async c => await c.MutateAsync(async (api, ct) =>
            {
                await api.SendAsync(service, endpoint, method, path(RestQuery.Segment(c.GetArgument<string>("id"))), ct);
                return true;
            }));

    /// <summary>The input object as GraphQL parsed it (only the fields the client gave), sent as the REST body.</summary>
    private static Dictionary<string, object?> Input(IResolveFieldContext context) =>
        context.GetArgument<Dictionary<string, object?>>("input");

    /// <summary>A Task.etag (<c>"v3"</c>) is an entity tag already; a bare value (<c>v3</c>) is quoted to become one.</summary>
    public static string? EntityTag(string? ifMatch) => ifMatch switch
    {
        null => null,
        "*" => ifMatch,
        _ when ifMatch.StartsWith('"') || ifMatch.StartsWith("W/", StringComparison.Ordinal) => ifMatch,
        _ => $"\"{ifMatch}\"",
    };
}
