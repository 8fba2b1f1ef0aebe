using System.Diagnostics;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using Xunit.Abstractions;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// docs/API.md, "Operations": PostgreSQL or MongoDB down, the requests that need it get 503 problem+json with
/// Retry-After (never a 500, never a hang), and the others keep working. Each drill covers the seconds before the
/// gateway takes the service out of rotation (the service answers itself) and after (the gateway answers).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class DatabaseOutageTests(TaskFlowAppFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(14);

    [Fact]
    public async Task With_postgres_down_users_and_notifications_answer_503_problem_and_tasks_keep_working()
    {
        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);

        var needing = new List<DrillAnswer>();
        var others = new List<DrillAnswer>();
        await fixture.StopResourceAsync("postgres");
        var clock = Stopwatch.StartNew();
        try
        {
            await fixture.AssertNotListeningAsync("postgres");
            while (clock.Elapsed < FaultWindow)
            {
                using var anonymous = fixture.CreateGatewayClient();
                needing.Add(await FaultDrill.SendAsync(anonymous, HttpMethod.Post, "/users/register", null,
                    new { email = UsersApiClient.NewEmail("pgdown"), password = UsersApiClient.DefaultPassword, displayName = "Drill" }));
                needing.Add(await FaultDrill.SendAsync(anonymous, HttpMethod.Post, "/users/login", null,
                    new { email = owner.User.Email, password = owner.Password }));
                needing.Add(await FaultDrill.SendAsync(gateway, HttpMethod.Get, "/notifications", owner.AccessToken, null));
                others.Add(await FaultDrill.SendAsync(gateway, HttpMethod.Post, "/tasks", owner.AccessToken, new { title = "while postgres is down" }));
                await Task.Delay(300);
            }
        }
        finally
        {
            await fixture.StartResourceAsync("postgres");
        }

        Report("postgres", needing, others);
        Assert.All(needing, a => Assert.True(a.IsOutageProblem && a.Elapsed < TimeSpan.FromSeconds(15), a.ToString()));
        Assert.All(others, a => Assert.True(a.Status == 201 && a.Elapsed < FaultDrill.NormalTimeout, a.ToString()));

        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
        using var fresh = fixture.CreateGatewayClient();
        await UsersApiClient.RegisterAndLoginAsync(fresh);
    }

    [Fact]
    public async Task With_mongo_down_tasks_answer_503_problem_and_users_and_notifications_keep_working()
    {
        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);

        var needing = new List<DrillAnswer>();
        var others = new List<DrillAnswer>();
        await fixture.StopResourceAsync("mongo");
        var clock = Stopwatch.StartNew();
        try
        {
            await fixture.AssertNotListeningAsync("mongo");
            while (clock.Elapsed < FaultWindow)
            {
                needing.Add(await FaultDrill.SendAsync(gateway, HttpMethod.Post, "/tasks", owner.AccessToken, new { title = "while mongo is down" }));
                using var anonymous = fixture.CreateGatewayClient();
                others.Add(await FaultDrill.SendAsync(anonymous, HttpMethod.Post, "/users/register", null,
                    new { email = UsersApiClient.NewEmail("mongodown"), password = UsersApiClient.DefaultPassword, displayName = "Drill" }));
                others.Add(await FaultDrill.SendAsync(anonymous, HttpMethod.Post, "/users/login", null,
                    new { email = owner.User.Email, password = owner.Password }));
                others.Add(await FaultDrill.SendAsync(gateway, HttpMethod.Get, "/notifications", owner.AccessToken, null));
                await Task.Delay(300);
            }
        }
        finally
        {
            await fixture.StartResourceAsync("mongo");
        }

        Report("mongo", needing, others);
        Assert.All(needing, a => Assert.True(a.IsOutageProblem && a.Elapsed < TimeSpan.FromSeconds(15), a.ToString()));
        Assert.All(others, a => Assert.True(a.IsSuccess && a.Elapsed < FaultDrill.NormalTimeout, a.ToString()));

        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
        var after = await FaultDrill.SendAsync(gateway, HttpMethod.Post, "/tasks", owner.AccessToken, new { title = "after mongo is back" });
        Assert.True(after.Status == 201, after.ToString());
    }

    private void Report(string store, List<DrillAnswer> needing, List<DrillAnswer> others) =>
        output.WriteLine($"drill {store} down: {needing.Count} requests needing it, {needing.Count(a => a.IsOutageProblem)} answered 503 problem+json " +
            $"with Retry-After (slowest {needing.Max(a => a.Elapsed).TotalMilliseconds:F0} ms, statuses {string.Join(',', needing.Select(a => a.Status).Distinct())}); " +
            $"{others.Count} other requests, {others.Count(a => a.IsSuccess)} succeeded (slowest {others.Max(a => a.Elapsed).TotalMilliseconds:F0} ms)");
}
