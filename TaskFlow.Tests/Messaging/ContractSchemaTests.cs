using System.Text.Json;
using System.Text.Json.Nodes;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Schemas;

namespace TaskFlow.Tests.Messaging;

[Trait("Category", "Unit")]
public sealed class ContractSchemaTests
{
    [Fact]
    public void Every_registered_event_type_has_a_schema_file_and_an_architecture_type_name()
    {
        string[] expected = ["task.created", "task.updated", "task.assigned", "task.deleted", "task.comment.added", "user.registered", "user.updated"];
        Assert.Equal(expected.Order(), IntegrationEventRegistry.All.Select(d => d.EventType).Order());
        foreach (var descriptor in IntegrationEventRegistry.All)
        {
            var text = IntegrationEventSchemas.GetSchemaText(descriptor);
            using var schema = JsonDocument.Parse(text);
            Assert.Equal(descriptor.EventType, schema.RootElement.GetProperty("title").GetString());
            Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
            // The checked-in file and the embedded resource are the same bytes.
            var file = Path.Combine(RepositoryRoot(), "TaskFlow.Messaging", "Schemas", descriptor.SchemaFileName);
            Assert.Equal(File.ReadAllText(file), text);
        }
    }

    [Fact]
    public void Every_contract_serializes_to_json_that_validates_against_its_schema()
    {
        var seen = new HashSet<Type>();
        foreach (var evt in SampleEvents.All())
        {
            var descriptor = IntegrationEventRegistry.Get(evt.GetType());
            var json = JsonSerializer.SerializeToElement(evt, evt.GetType(), IntegrationEventEnvelope.SerializerOptions);
            var result = IntegrationEventSchemas.Validate(descriptor.EventType, json);
            Assert.True(result.IsValid, $"{descriptor.EventType}: {result}");
            seen.Add(evt.GetType());
        }

        Assert.Equal(IntegrationEventRegistry.All.Select(d => d.ClrType).ToHashSet(), seen);
    }

    [Fact]
    public void Every_schema_requires_exactly_the_properties_of_its_contract()
    {
        foreach (var descriptor in IntegrationEventRegistry.All)
        {
            using var schema = JsonDocument.Parse(IntegrationEventSchemas.GetSchemaText(descriptor));
            var required = schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order();
            var properties = descriptor.ClrType.GetProperties()
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                .Order();
            Assert.Equal(properties, required);
        }
    }

    public static TheoryData<string, string> Mutations => new()
    {
        { "missing required", "remove:title" },
        { "wrong type", "set:version=\"three\"" },
        { "extra property", "set:extra=1" },
        { "not a uuid", "set:taskId=\"not-a-uuid\"" },
        { "unknown status", "set:status=\"archived\"" },
        { "null where not nullable", "set:ownerId=null" },
        { "bad timestamp", "set:occurredAt=\"yesterday\"" },
        { "empty title", "set:title=\"\"" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Task_created_schema_rejects_bad_data(string because, string mutation)
    {
        var evt = new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), null, "Title", "todo", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var node = JsonSerializer.SerializeToNode(evt, IntegrationEventEnvelope.SerializerOptions)!.AsObject();
        Assert.True(IntegrationEventSchemas.Validate(EventTypes.TaskCreated, ToElement(node)).IsValid);

        var (op, rest) = (mutation[..mutation.IndexOf(':', StringComparison.Ordinal)], mutation[(mutation.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        if (op == "remove")
        {
            node.Remove(rest);
        }
        else
        {
            var name = rest[..rest.IndexOf('=', StringComparison.Ordinal)];
            node[name] = JsonNode.Parse(rest[(rest.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        }

        var result = IntegrationEventSchemas.Validate(EventTypes.TaskCreated, ToElement(node));
        Assert.False(result.IsValid, because);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void An_invalid_event_is_explained_by_location_and_keyword()
    {
        // Valid events take the cheap flag evaluation; an invalid one is evaluated again for its errors.
        var evt = new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), null, "Title", "todo", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var node = JsonSerializer.SerializeToNode(evt, IntegrationEventEnvelope.SerializerOptions)!.AsObject();
        node["version"] = "three";
        node.Remove("title");

        var result = IntegrationEventSchemas.Validate(EventTypes.TaskCreated, ToElement(node));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith("/version (type)", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("(required)", StringComparison.Ordinal) && e.Contains("title", StringComparison.Ordinal));
    }

    [Fact]
    public void User_schema_rejects_an_unknown_role_and_comment_schema_rejects_a_long_excerpt()
    {
        var user = JsonSerializer.SerializeToNode(new UserRegistered(Guid.NewGuid(), "a@b.c", "A", ["root"], DateTimeOffset.UtcNow), IntegrationEventEnvelope.SerializerOptions)!;
        Assert.False(IntegrationEventSchemas.Validate(EventTypes.UserRegistered, ToElement(user)).IsValid);

        var comment = new TaskCommentAdded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, "T", new string('x', 201), DateTimeOffset.UtcNow);
        var json = JsonSerializer.SerializeToElement(comment, IntegrationEventEnvelope.SerializerOptions);
        Assert.False(IntegrationEventSchemas.Validate(EventTypes.TaskCommentAdded, json).IsValid);
    }

    [Fact]
    public void Unknown_event_type_is_invalid()
    {
        using var doc = JsonDocument.Parse("{}");
        Assert.False(IntegrationEventSchemas.Validate("task.exploded", doc.RootElement).IsValid);
    }

    private static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TaskFlow.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
