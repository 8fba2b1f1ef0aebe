namespace TaskFlow.Graph.Schema;

/// <summary>Spelled as in REST, so a value means the same in both APIs.</summary>
public sealed class WebhookDeliveryStatusType : EnumerationGraphType
{
    public WebhookDeliveryStatusType()
    {
        Name = "WebhookDeliveryStatus";
        Add("pending", "pending", "Not delivered yet: waiting for its first attempt or a retry.");
        Add("succeeded", "succeeded", "The receiver answered 2xx within 10 s.");
        Add("failed", "failed", "Every attempt failed, or the webhook was disabled.");
    }
}
