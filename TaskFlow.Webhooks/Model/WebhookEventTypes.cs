namespace TaskFlow.Webhooks.Model;

/// <summary>The event types a subscription may ask for (API.md "Webhooks"): the task events, by their CloudEvents type.</summary>
public static class WebhookEventTypes
{
    public static IReadOnlyList<string> All { get; } =
    [
        EventTypes.TaskCreated,
        EventTypes.TaskUpdated,
        EventTypes.TaskAssigned,
        EventTypes.TaskDeleted,
        EventTypes.TaskCommentAdded,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
