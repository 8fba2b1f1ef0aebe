namespace TaskFlow.Graph.Schema;

/// <summary>
/// The body of <c>POST /webhooks</c>. Its values go to the Webhooks service as they are, so every rule on them (an
/// absolute http(s) URL, known event types, at least one, the address checks) is the service's own, reported as
/// BAD_USER_INPUT. Event types are strings because they are spelled with dots (<c>task.created</c>), which a GraphQL
/// enum value cannot be; the same spelling in both APIs and in the delivered CloudEvent's <c>type</c>.
/// </summary>
public sealed class WebhookInputType : InputObjectGraphType
{
    public const string EventTypes = "task.created, task.updated, task.assigned, task.deleted, task.comment.added";

    public WebhookInputType()
    {
        Name = "WebhookInput";
        Field<NonNullGraphType<StringGraphType>>("url").Description("An absolute http(s) URL that receives the deliveries (POST).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("events")
            .Description("At least one of " + EventTypes + ".");
        Field<StringGraphType>("description");
    }
}
