using System.Text.Json.Nodes;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Schemas;

namespace TaskFlow.Messaging.AsyncApi;

/// <summary>
/// The AsyncAPI 3.0 document of TaskFlow's integration events, generated from <see cref="IntegrationEventRegistry"/>:
/// one channel per routing key (the CloudEvents <c>type</c>) on the topic exchange, one message per event type whose
/// payload is the CloudEvents 1.0 structured-mode envelope, with <c>data</c> described by the checked-in JSON Schema
/// the publishers and consumers validate against (<see cref="IntegrationEventSchemas"/>), unchanged.
/// </summary>
public static class AsyncApiDocument
{
    public const string Version = "3.0.0";

    /// <summary>Where the gateway serves it.</summary>
    public const string ApiPath = "/asyncapi.json";

    /// <summary>The topic exchange every publisher sends to (TaskFlow.Messaging.RabbitMQ's <c>MessagingTopology.ExchangeName</c>).</summary>
    public const string ExchangeName = "taskflow.events";

    private static readonly Lazy<string> Json = new(() => Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The document as JSON text (built once).</summary>
    public static string ToJson() => Json.Value;

    public static JsonObject Build()
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        var schemas = new JsonObject();
        foreach (var descriptor in IntegrationEventRegistry.All)
        {
            var type = descriptor.EventType;
            var schemaName = $"{type}.v{descriptor.SchemaVersion}";
            var dataSchema = JsonNode.Parse(IntegrationEventSchemas.GetSchemaText(descriptor))?.AsObject()
                ?? throw new InvalidOperationException($"{descriptor.SchemaFileName} is not a JSON object.");
            var description = dataSchema["description"]?.GetValue<string>() ?? type;
            schemas[schemaName] = dataSchema;
            messages[type] = new JsonObject
            {
                ["name"] = type,
                ["title"] = type,
                ["summary"] = description,
                ["contentType"] = IntegrationEventEnvelope.MediaType,
                ["payload"] = Envelope(descriptor, schemaName),
                ["bindings"] = new JsonObject { ["amqp"] = new JsonObject { ["messageType"] = type, ["bindingVersion"] = "0.3.0" } },
            };
            channels[type] = new JsonObject
            {
                ["address"] = type,
                ["title"] = type,
                ["description"] = $"{description} Routing key `{type}` on the topic exchange `{ExchangeName}`.",
                ["messages"] = new JsonObject { [type] = Ref($"#/components/messages/{type}") },
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject
                    {
                        ["is"] = "routingKey",
                        ["exchange"] = new JsonObject
                        {
                            ["name"] = ExchangeName, ["type"] = "topic", ["durable"] = true, ["autoDelete"] = false, ["vhost"] = "/",
                        },
                        ["bindingVersion"] = "0.3.0",
                    },
                },
            };
            operations[$"publish.{type}"] = new JsonObject
            {
                ["action"] = "send",
                ["title"] = $"Publish {type}",
                ["summary"] = $"Published through the outbox, with publisher confirms, after the change it describes is committed.",
                ["channel"] = Ref($"#/channels/{type}"),
                ["messages"] = new JsonArray(Ref($"#/channels/{type}/messages/{type}")),
            };
        }

        return new JsonObject
        {
            ["asyncapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "TaskFlow integration events",
                ["version"] = "1.0.0",
                ["description"] = "Events the TaskFlow services publish to RabbitMQ: CloudEvents 1.0 JSON envelopes (structured mode) whose `type` " +
                    "is also the routing key and whose `data` matches the JSON Schema named by `dataschema`. Delivery is at least once: " +
                    "consumers deduplicate by the envelope `id`.",
            },
            ["defaultContentType"] = IntegrationEventEnvelope.MediaType,
            ["servers"] = new JsonObject
            {
                ["rabbitmq"] = new JsonObject
                {
                    ["host"] = "rabbitmq:5672",
                    ["protocol"] = "amqp",
                    ["protocolVersion"] = "0.9.1",
                    ["description"] = "The deployment's RabbitMQ (its address depends on the environment).",
                },
            },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject { ["messages"] = messages, ["schemas"] = schemas },
        };
    }

    /// <summary>The CloudEvents structured-mode envelope of one event type, as <see cref="IntegrationEventEnvelope"/> writes it.</summary>
    private static JsonObject Envelope(IntegrationEventDescriptor descriptor, string schemaName) => new()
    {
        ["type"] = "object",
        ["description"] = $"CloudEvents 1.0 envelope of `{descriptor.EventType}`.",
        ["required"] = new JsonArray("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema", "data"),
        ["properties"] = new JsonObject
        {
            ["specversion"] = new JsonObject { ["type"] = "string", ["const"] = "1.0" },
            ["id"] = new JsonObject { ["type"] = "string", ["description"] = "Unique per event (a UUIDv7); consumers deduplicate by it." },
            ["source"] = new JsonObject { ["type"] = "string", ["format"] = "uri-reference", ["description"] = "The publishing service, e.g. `/taskflow/tasks`." },
            ["type"] = new JsonObject { ["type"] = "string", ["const"] = descriptor.EventType },
            ["time"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            ["subject"] = new JsonObject { ["type"] = "string", ["description"] = "The id of the entity the event is about." },
            ["datacontenttype"] = new JsonObject { ["type"] = "string", ["const"] = "application/json" },
            ["dataschema"] = new JsonObject { ["type"] = "string", ["const"] = descriptor.DataSchema.ToString() },
            ["traceparent"] = new JsonObject { ["type"] = "string", ["description"] = "W3C trace context of the publishing span (distributed-tracing extension)." },
            ["tracestate"] = new JsonObject { ["type"] = "string" },
            ["data"] = Ref($"#/components/schemas/{schemaName}"),
        },
    };

    private static JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };
}
