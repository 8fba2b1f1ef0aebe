using System.Text.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Distributed;

[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class SmokeTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Every_service_reports_healthy_with_its_dependencies()
    {
        foreach (var service in TaskFlowAppFixture.ServiceNames)
        {
            using var client = fixture.CreateClient(service);
            using var response = await client.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service}: {(int)response.StatusCode} {body}");
            using var report = JsonDocument.Parse(body);
            Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Gateway_health_is_200()
    {
        using var client = fixture.CreateGatewayClient();
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("users", "TaskFlow Users API")]
    [InlineData("tasks", "TaskFlow Tasks API")]
    [InlineData("notifications", "TaskFlow Notifications API")]
    public async Task Gateway_serves_each_services_openapi_document_through_service_discovery(string service, string title)
    {
        using var client = fixture.CreateGatewayClient();
        using var response = await client.GetAsync($"/openapi/{service}.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(title, document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }
}
