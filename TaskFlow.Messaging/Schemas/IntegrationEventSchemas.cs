using Json.Schema;

namespace TaskFlow.Messaging.Schemas;

/// <summary>
/// The checked-in JSON Schemas (one file per event type and version, embedded in this assembly) and validation
/// against them with JsonSchema.Net. Publishers validate before publishing; consumers before handling.
/// </summary>
public static class IntegrationEventSchemas
{
    // Every event is checked with the flag output (valid or not, no per-keyword details: the cheap path every
    // publish and consume takes); only an invalid one is evaluated again with the list output for its errors.
    private static readonly EvaluationOptions Check = new()
    {
        OutputFormat = OutputFormat.Flag,
        RequireFormatValidation = true,
    };

    private static readonly EvaluationOptions Explain = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    private static readonly FrozenDictionary<string, JsonSchema> ByEventType = IntegrationEventRegistry.All
        .ToFrozenDictionary(d => d.EventType, Load, StringComparer.Ordinal);

    /// <summary>The schema text of an event type, as checked in.</summary>
    public static string GetSchemaText(IntegrationEventDescriptor descriptor)
    {
        using var stream = typeof(IntegrationEventSchemas).Assembly.GetManifestResourceStream(ResourceName(descriptor))
            ?? throw new InvalidOperationException($"Schema resource {descriptor.SchemaFileName} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static SchemaValidationResult Validate(string eventType, JsonElement data)
    {
        if (!ByEventType.TryGetValue(eventType, out var schema))
        {
            return new SchemaValidationResult(false, [$"Unknown event type '{eventType}'."]);
        }

        if (schema.Evaluate(data, Check).IsValid)
        {
            return SchemaValidationResult.Valid;
        }

        var result = schema.Evaluate(data, Explain);

        var errors = new List<string>();
        foreach (var detail in (result.Details ?? []).Append(result))
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                errors.Add($"{detail.InstanceLocation} ({keyword}): {message}");
            }
        }

        return new SchemaValidationResult(false, errors.Count > 0 ? errors : ["The data does not match the schema."]);
    }

    private static string ResourceName(IntegrationEventDescriptor descriptor) => $"TaskFlow.Messaging.Schemas.{descriptor.SchemaFileName}";

    private static JsonSchema Load(IntegrationEventDescriptor descriptor) =>
        // A private registry: the schemas' $id values must not collide with anything registered globally.
        JsonSchema.FromText(GetSchemaText(descriptor), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
}
