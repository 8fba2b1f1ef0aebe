using Aspire.Hosting.ApplicationModel;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The AppHost's model (built, not started): each service waits only for what it needs at start, so the cold start
/// runs in parallel (docs/BENCHMARKS.md). Publishers start while RabbitMQ boots; the consumer waits for it; Graph and
/// the gateway wait for none of the services they call.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AppHostStartupOrderTests
{
    [Theory]
    [InlineData("users", new[] { "postgres", "redis" })]
    [InlineData("tasks", new[] { "mongo", "redis" })]
    [InlineData("notifier", new[] { "postgres", "redis", "rabbitmq" })]
    [InlineData("webhooks", new[] { "postgres", "redis", "rabbitmq" })]
    [InlineData("graph", new string[0])]
    [InlineData("web", new string[0])]
    [InlineData("gateway", new[] { "redis" })]
    public async Task A_service_waits_only_for_what_it_needs_at_start(string service, string[] waitsFor)
    {
        var waits = await AppHostModel.InspectAsync([], builder => Task.FromResult(builder.Resources.Single(r => r.Name == service)
            .Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order().ToArray()));

        Assert.Equal(waitsFor.Order().ToArray(), waits);
    }
}
