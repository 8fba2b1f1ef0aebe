namespace TaskFlow.Messaging.Contracts;

/// <summary>The closed list of TaskFlow integration events: CLR type ↔ event type string ↔ schema file.</summary>
public static class IntegrationEventRegistry
{
    public static IReadOnlyList<IntegrationEventDescriptor> All { get; } =
    [
        new(typeof(TaskCreated), EventTypes.TaskCreated, 1),
        new(typeof(TaskUpdated), EventTypes.TaskUpdated, 1),
        new(typeof(TaskAssigned), EventTypes.TaskAssigned, 1),
        new(typeof(TaskDeleted), EventTypes.TaskDeleted, 1),
        new(typeof(TaskCommentAdded), EventTypes.TaskCommentAdded, 1),
        new(typeof(UserRegistered), EventTypes.UserRegistered, 1),
        new(typeof(UserUpdated), EventTypes.UserUpdated, 1),
    ];

    private static readonly FrozenDictionary<Type, IntegrationEventDescriptor> ByClrType = All.ToFrozenDictionary(d => d.ClrType);
    private static readonly FrozenDictionary<string, IntegrationEventDescriptor> ByEventType = All.ToFrozenDictionary(d => d.EventType, StringComparer.Ordinal);

    public static IntegrationEventDescriptor Get<TEvent>() where TEvent : IIntegrationEvent => Get(typeof(TEvent));

    public static IntegrationEventDescriptor Get(Type clrType) =>
        ByClrType.TryGetValue(clrType, out var descriptor)
            ? descriptor
            : throw new ArgumentException($"{clrType.Name} is not a registered integration event.", nameof(clrType));

    public static bool TryGet(string eventType, [NotNullWhen(true)] out IntegrationEventDescriptor? descriptor) =>
        ByEventType.TryGetValue(eventType, out descriptor);
}
