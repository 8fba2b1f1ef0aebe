namespace TaskFlow.Webhooks.Model;

/// <summary>A delivery's status as the API shows it.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
