namespace TaskFlow.Messaging.Contracts;

/// <summary>One integration event type: its CLR record, CloudEvents <c>type</c> (also the routing key), schema version and schema file.</summary>
public sealed record IntegrationEventDescriptor(Type ClrType, string EventType, int SchemaVersion)
{
    /// <summary>File name under <c>TaskFlow.Messaging/Schemas/</c>, embedded as a resource of the same name.</summary>
    public string SchemaFileName => $"{EventType}.v{SchemaVersion}.schema.json";

    /// <summary>The CloudEvents <c>dataschema</c> attribute value.</summary>
    public Uri DataSchema => new($"urn:taskflow:schemas:{EventType}:v{SchemaVersion}");
}

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

/// <summary>CloudEvents <c>type</c> values, which are also the RabbitMQ routing keys.</summary>
public static class EventTypes
{
    public const string TaskCreated = "task.created";
    public const string TaskUpdated = "task.updated";
    public const string TaskAssigned = "task.assigned";
    public const string TaskDeleted = "task.deleted";
    public const string TaskCommentAdded = "task.comment.added";
    public const string UserRegistered = "user.registered";
    public const string UserUpdated = "user.updated";
}
