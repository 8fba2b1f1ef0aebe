using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Aspire.Hosting.ApplicationModel;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>Behaviour that needs several replicas: of the gateway (shared limits) and of a service (failover).</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayReplicaTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Per_user_limit_is_counted_together_across_two_gateway_replicas()
    {
        // A fault test before this one may have left the gateways on per-replica fallback counters for a few seconds.
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
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
        var completed = 0;
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

                Interlocked.Increment(ref completed);

                // A steady client below the per-user refill rate (10/s), however long stopping the replica takes.
                await Task.Delay(110);
            }
        });

        try
        {
            Assert.True(await CompletesAsync(() => Volatile.Read(ref completed), 5, load), "the client's GETs did not get going");

            // The replica's process has exited once this returns (state Exited/Finished), not merely been asked to.
            await fixture.StopResourceAsync(replicas[0]);
            var afterStop = Volatile.Read(ref completed);

            // 40 GETs (about 5 s) answered while the replica is confirmed down: the gateway must route around it.
            Assert.True(await CompletesAsync(() => Volatile.Read(ref completed) - afterStop, 40, load), "the client's GETs stalled after the stop");
            Assert.True(
                fixture.App.ResourceNotifications.TryGetCurrentState(replicas[0], out var current)
                && current.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
                "the stopped replica came back before the GETs were done");
        }
        finally
        {
            await stop.CancelAsync();
            await load;
            await fixture.StartResourceAsync(replicas[0]);
        }

        Assert.Empty(failures);
    }

    /// <summary>Waits, without a fixed sleep, until <paramref name="progress"/> reaches <paramref name="target"/> or the load stops.</summary>
    private static async Task<bool> CompletesAsync(Func<int> progress, int target, Task load)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (progress() < target)
        {
            if (load.IsCompleted || DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
