using MongoDB.Bson.Serialization.Attributes;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;

namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>
/// An event waiting inside the document whose change it describes (MongoDB outbox). A writer adds it to the
/// document's <c>pendingEvents</c> array in the SAME single-document write as the change (insert, or
/// <c>$push</c> in the update), so the change and its event are atomic without a transaction. The relay publishes
/// it with confirms and then <c>$pull</c>s it by <see cref="Id"/>.
/// <para>Shape in the document: <c>pendingEvents: [{ id: "&lt;uuid&gt;", type: "task.created",
/// envelope: "&lt;CloudEvents JSON&gt;", createdAt: ISODate }]</c>.</para>
/// </summary>
[BsonIgnoreExtraElements]
public sealed class PendingEvent
{
    /// <summary>The array field in the owning document.</summary>
    public const string FieldName = "pendingEvents";

    /// <summary>The CloudEvent id (UUID string).</summary>
    [BsonElement("id")]
    public required string Id { get; init; }

    [BsonElement("type")]
    public required string Type { get; init; }

    /// <summary>The complete CloudEvents JSON envelope.</summary>
    [BsonElement("envelope")]
    public required string Envelope { get; init; }

    [BsonElement("createdAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public required DateTime CreatedAt { get; init; }

    /// <summary>Wraps an event for the outbox; the envelope captures the current trace context.</summary>
    public static PendingEvent Create<TEvent>(TEvent data, string subject, string? source = null) where TEvent : class, IIntegrationEvent
    {
        var envelope = IntegrationEventEnvelope.Create(data, subject, source);
        return new PendingEvent
        {
            Id = envelope.Id!,
            Type = envelope.Type!,
            Envelope = IntegrationEventEnvelope.EncodeToString(envelope),
            CreatedAt = DateTime.UtcNow,
        };
    }

    /// <summary>The BSON form, for writers that build documents or updates by hand.</summary>
    public BsonDocument ToBson() => new()
    {
        { "id", Id },
        { "type", Type },
        { "envelope", Envelope },
        { "createdAt", new BsonDateTime(CreatedAt) },
    };
}
