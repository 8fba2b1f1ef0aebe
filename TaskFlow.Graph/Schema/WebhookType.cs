namespace TaskFlow.Graph.Schema;

/// <summary>
/// A webhook subscription (the REST <c>Webhook</c>). It has no secret field: the secret is shown once, in
/// <c>createWebhook</c>'s payload (and a new one in <c>rotateWebhookSecret</c>'s answer), never in a query.
/// </summary>
public sealed class WebhookType : ObjectGraphType<WebhookView>
{
    public WebhookType()
    {
        Name = "Webhook";
        Description = "An outgoing webhook of the caller's: signed deliveries (Standard Webhooks) of the events of tasks the caller can see.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("url").Resolve(c => c.Source.Url);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("events")
            .Description("Event types, spelled as the CloudEvent type: " + WebhookInputType.EventTypes + ".")
            .Resolve(c => c.Source.Events);
        Field<StringGraphType>("description").Resolve(c => c.Source.Description);
        Field<NonNullGraphType<BooleanGraphType>>("enabled")
            .Description("False once TaskFlow disabled it (its receiver answered 410, or failed for 5 days).")
            .Resolve(c => c.Source.Enabled);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);

        Field<NonNullGraphType<WebhookDeliveryConnectionType>>("deliveries")
            .Description("Its deliveries, newest first (GET /webhooks/{id}/deliveries); deliveries(first: 1) is the last one.")
            .Argument<IntGraphType>("first", "Page size, 1-100 (default 20).")
            .Argument<StringGraphType>("after", "endCursor of the previous page.")
            .CallsOnce(pagedBy: "first")
            .ResolveAsync(async c => await c.TracedAsync(async (api, ct) => GraphConnection<WebhookDeliveryView>.From(
                await api.GetAsync<RestPage<WebhookDeliveryView>>(Downstream.Webhooks, "webhooks.deliveries.list",
                    RestQuery.Path($"/webhooks/{RestQuery.Segment(c.Source.Id)}/deliveries",
                        ("limit", c.GetArgument<int?>("first")),
                        ("cursor", c.GetArgument<string?>("after"))), ct))));
    }
}
