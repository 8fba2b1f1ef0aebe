using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>Behaviour that needs several replicas: of the gateway (shared limits) and of a service (failover).</summary>
[Collection(DistributedAppCollection.Name)]
public sealed class GatewayReplicaTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Per_user_limit_is_counted_together_across_two_gateway_replicas()
    {
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);

        var served = 0;
        var firstRejection = -1;
        var replicas = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        // 600-token bucket refilled at 10/s: the first 429 comes after 600 + ~10/s of requests. Counted per replica,
        // two gateways would allow about twice that, well past the 1,150 sent here.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1150), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            if (Volatile.Read(ref firstRejection) >= 0)
            {
                return;
            }

            using var response = await client.GetAsync("/notifications?limit=1", ct);
            if (response.Headers.Via.FirstOrDefault()?.ReceivedBy is { } via)
            {
                replicas.AddOrUpdate(via, 1, (_, n) => n + 1);
            }

            var count = Interlocked.Increment(ref served);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.CompareExchange(ref firstRejection, count, -1);
                Assert.NotNull(response.Headers.RetryAfter);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        });

        Assert.True(replicas.Count >= 2, $"requests reached only {replicas.Count} gateway replica(s)");
        Assert.True(firstRejection > 0, $"no 429 after {served} requests in {clock.Elapsed.TotalSeconds:0.0} s");
        var refill = (int)Math.Ceiling(clock.Elapsed.TotalSeconds * 10) + 20;
        Assert.InRange(firstRejection, 590, 600 + refill);
    }

    [Fact]
    public async Task Stopping_a_tasks_replica_mid_run_causes_no_client_visible_failure_for_gets()
    {
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var created = await client.PostAsJsonAsync("/tasks", new { title = "survives a replica" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location ?? throw new InvalidOperationException("no Location");

        var replicas = await fixture.GetReplicaIdsAsync("tasks", expected: 2);
        Assert.Equal(2, replicas.Count);

        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync(location);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode}");
                }

                // A steady client below the per-user refill rate (10/s), however long stopping the replica takes.
                await Task.Delay(110);
            }
        });

        try
        {
            await Task.Delay(500);
            await fixture.ExecuteCommandAsync(replicas[0], "resource-stop");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await stop.CancelAsync();
            await load;
            await fixture.ExecuteCommandAsync(replicas[0], "resource-start");
        }

        Assert.Empty(failures);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("tasks", timeout.Token);
    }
}
