using TaskFlow.Messaging.AsyncApi;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Tests.Standards;

/// <summary>The AsyncAPI document names the exchange the RabbitMQ publisher really uses (the core library cannot reference it).</summary>
[Trait("Category", "Unit")]
public sealed class AsyncApiExchangeTests
{
    [Fact]
    public void The_document_binds_every_channel_to_the_publishers_exchange()
    {
        Assert.Equal(MessagingTopology.ExchangeName, AsyncApiDocument.ExchangeName);
        var channels = AsyncApiDocument.Build()["channels"]?.AsObject() ?? [];
        Assert.Equal(IntegrationEventRegistry.All.Select(d => d.EventType).Order(), channels.Select(c => c.Key).Order());
        Assert.All(channels, c => Assert.Equal(MessagingTopology.ExchangeName, c.Value?["bindings"]?["amqp"]?["exchange"]?["name"]?.GetValue<string>()));
    }
}
