namespace TaskFlow.Graph.Schema;

public sealed class WebhookDeliveryType : ObjectGraphType<WebhookDeliveryView>
{
    public WebhookDeliveryType()
    {
        Name = "WebhookDelivery";
        Description = "One event delivered (or being delivered) to a webhook; every attempt carries the same webhook-id.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("eventId").Description("The CloudEvent id, sent as webhook-id.").Resolve(c => c.Source.EventId);
        Field<NonNullGraphType<StringGraphType>>("eventType").Resolve(c => c.Source.EventType);
        Field<NonNullGraphType<WebhookDeliveryStatusType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<IntGraphType>>("attempts").Resolve(c => c.Source.Attempts);
        Field<IntGraphType>("lastResponseStatus")
            .Description("The HTTP status of the receiver's last answer; null when none came (timeout, refused connection) or no attempt was made yet.")
            .Resolve(c => c.Source.LastResponseStatus);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<DateTimeGraphType>("lastAttemptAt").Resolve(c => c.Source.LastAttemptAt);
    }
}
