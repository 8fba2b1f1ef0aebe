using System.Text.Json;
using System.Text.Json.Nodes;
using TaskFlow.Messaging.AsyncApi;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Schemas;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Standards;

/// <summary>
/// The AsyncAPI 3.0 document of the integration events, as the gateway serves it at <c>/asyncapi.json</c>: valid for
/// the reference parser (npm @asyncapi/parser), one channel per routing key for every registered event type, and
/// each message's <c>data</c> described by the very schema the publishers validate against.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class AsyncApiDocumentTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task The_gateway_serves_a_valid_AsyncAPI_3_document_with_every_event_type_and_its_checked_in_schema()
    {
        using var http = fixture.CreateGatewayClient();
        var check = await ContractTools.NodeAsync(Path.Combine(ContractTools.ContractFolder, "checks", "asyncapi.mjs"),
            new Dictionary<string, string> { ["TASKFLOW_URL"] = OAuthClientTests.Issuer(http) });
        Assert.True(check.ExitCode == 0, check.ToString());
        var result = JsonDocument.Parse(check.Output).RootElement;
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("3.0.0", result.GetProperty("version").GetString());
        Assert.True(result.GetProperty("errors").GetArrayLength() == 0, check.Output);
        Assert.True(result.GetProperty("warnings").GetArrayLength() == 0, check.Output);

        var channels = result.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ToHashSet();
        var messages = result.GetProperty("messages").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        var document = JsonNode.Parse(await http.GetStringAsync("/asyncapi.json"))?.AsObject() ?? [];
        foreach (var descriptor in IntegrationEventRegistry.All)
        {
            Assert.Contains(descriptor.EventType, channels);
            Assert.Contains(descriptor.EventType, messages);
            var payload = document["components"]?["messages"]?[descriptor.EventType]?["payload"];
            Assert.Equal(descriptor.EventType, payload?["properties"]?["type"]?["const"]?.GetValue<string>());
            Assert.Equal(descriptor.DataSchema.ToString(), payload?["properties"]?["dataschema"]?["const"]?.GetValue<string>());
            var data = payload?["properties"]?["data"]?["$ref"]?.GetValue<string>() ?? "";
            var schema = document["components"]?["schemas"]?[data.Split('/')[^1]];
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(IntegrationEventSchemas.GetSchemaText(descriptor)), schema),
                $"{descriptor.EventType}: the document's data schema differs from {descriptor.SchemaFileName}");
        }

        // The API reference links it.
        Assert.Contains($"href=\"{AsyncApiDocument.ApiPath}\"", await http.GetStringAsync("/docs"));
    }
}
