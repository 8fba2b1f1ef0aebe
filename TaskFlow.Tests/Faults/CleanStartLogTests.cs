using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// A clean start and normal operation log nothing an operator would have to read: no Warning and no Error record from
/// TaskFlow's services (as they export them over OTLP) from the fixture's fresh start until everything was ready, and
/// none during a smoke flow through the gateway.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class CleanStartLogTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task A_clean_start_and_the_smoke_flow_log_no_warning_and_no_error()
    {
        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
        // Records still in flight from what ran before this test are exported within a batch delay (500 ms).
        await Task.Delay(TimeSpan.FromSeconds(2));
        var flowStart = DateTime.UtcNow;
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var created = await FaultDrill.SendAsync(gateway, HttpMethod.Post, "/tasks", owner.AccessToken, new { title = "Smoke", assigneeId = assignee.Id });
        Assert.True(created.Status == 201, created.ToString());
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString();
        var read = await FaultDrill.SendAsync(gateway, HttpMethod.Get, $"/tasks/{id}", owner.AccessToken, null);
        Assert.True(read.Status == 200, read.ToString());
        var comment = await FaultDrill.SendAsync(gateway, HttpMethod.Post, $"/tasks/{id}/comments", assignee.AccessToken, new { body = "On it" });
        Assert.True(comment.Status == 201, comment.ToString());
        var inbox = await FaultDrill.SendAsync(gateway, HttpMethod.Get, "/notifications", assignee.AccessToken, null);
        Assert.True(inbox.Status == 200, inbox.ToString());
        var flowEnd = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));

        var noisy = fixture.Telemetry.Warnings
            .Where(r => r.TimeUtc <= fixture.ReadyAtUtc || (r.TimeUtc >= flowStart && r.TimeUtc <= flowEnd))
            .Select(r => $"{r.TimeUtc:HH:mm:ss.fff} {r.Service} {(r.Severity >= 17 ? "Error" : "Warning")} {r.Category}: {r.Message}")
            .ToList();
        var categories = string.Join(", ", fixture.Telemetry.Warnings
            .Where(r => r.TimeUtc <= fixture.ReadyAtUtc || (r.TimeUtc >= flowStart && r.TimeUtc <= flowEnd))
            .GroupBy(r => $"{r.Service} {r.Category}").Select(g => $"{g.Key} x{g.Count()}"));
        Assert.True(noisy.Count == 0, $"{noisy.Count} Warning/Error records ({categories}):\n" + string.Join('\n', noisy.Take(40)));
    }
}
