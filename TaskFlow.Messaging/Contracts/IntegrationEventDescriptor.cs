namespace TaskFlow.Messaging.Contracts;

/// <summary>One integration event type: its CLR record, CloudEvents <c>type</c> (also the routing key), schema version and schema file.</summary>
public sealed record IntegrationEventDescriptor(Type ClrType, string EventType, int SchemaVersion)
{
    /// <summary>File name under <c>TaskFlow.Messaging/Schemas/</c>, embedded as a resource of the same name.</summary>
    public string SchemaFileName => $"{EventType}.v{SchemaVersion}.schema.json";

    /// <summary>The CloudEvents <c>dataschema</c> attribute value.</summary>
    public Uri DataSchema => new($"urn:taskflow:schemas:{EventType}:v{SchemaVersion}");
}
