using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Tests.Gateway;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Edge.EdgeClient;

namespace TaskFlow.Tests.Edge;

/// <summary>API.md "Idempotent writes", through the gateway (two gateway replicas, two Tasks and Notifier replicas).</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class IdempotencyTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Create_task_retried_with_the_same_key_replays_the_first_response_byte_identical_and_creates_one_task()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var key = NewKey();
        var title = "idempotent " + Guid.NewGuid().ToString("N");
        var body = JsonSerializer.Serialize(new { title, priority = "high" });

        var first = await PostAsync(client, "/tasks", body, key, owner.AccessToken);
        var second = await PostAsync(client, "/tasks", body, key, owner.AccessToken);
        var third = await PostAsync(client, "/tasks", body, key, owner.AccessToken);

        Assert.True(first.Status == HttpStatusCode.Created, first.Text);
        Assert.False(first.Replayed);
        Assert.NotNull(first.Header("Location"));
        Assert.NotNull(first.Header("ETag"));
        foreach (var replay in new[] { second, third })
        {
            Assert.Equal(HttpStatusCode.Created, replay.Status);
            Assert.True(replay.Replayed);
            Assert.Equal(first.Body, replay.Body);
            Assert.Equal(first.Header("Location"), replay.Header("Location"));
            Assert.Equal(first.Header("ETag"), replay.Header("ETag"));
            Assert.Equal(first.ContentType, replay.ContentType);
        }

        // Changed nothing: exactly one task with that title exists.
        using var list = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/tasks?limit=100&q=" + title, owner.AccessToken);
        var page = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement;
        Assert.Single(page.GetProperty("items").EnumerateArray(), t => t.GetProperty("title").GetString() == title);

        // A request without a key is unaffected: a second task.
        var unkeyed = await PostAsync(client, "/tasks", body, token: owner.AccessToken);
        Assert.Equal(HttpStatusCode.Created, unkeyed.Status);
        Assert.NotEqual(first.Header("Location"), unkeyed.Header("Location"));
    }

    [Fact]
    public async Task Register_is_keyed_per_client_ip_and_replays_the_account_with_its_location()
    {
        var ip = TaskFlowAppFixture.RandomClientIp();
        using var client = fixture.CreateGatewayClient(ip);
        using var otherClient = fixture.CreateGatewayClient("203.0.113." + Random.Shared.Next(1, 255));
        var key = NewKey();
        var body = JsonSerializer.Serialize(new { email = UsersApiClient.NewEmail("idem"), password = UsersApiClient.DefaultPassword, displayName = "Idem" });

        var first = await PostAsync(client, "/users/register", body, key);
        var replay = await PostAsync(client, "/users/register", body, key);
        // The same key from another client IP is another key: it runs, and the address is taken by now.
        var otherIp = await PostAsync(otherClient, "/users/register", body, key);

        Assert.True(first.Status == HttpStatusCode.Created, first.Text);
        Assert.False(first.Replayed);
        Assert.Equal(HttpStatusCode.Created, replay.Status);
        Assert.True(replay.Replayed);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(first.Header("Location"), replay.Header("Location"));
        AssertProblem(otherIp, HttpStatusCode.Conflict);
        Assert.False(otherIp.Replayed);
    }

    [Fact]
    public async Task Comment_and_mark_read_replay_with_the_same_key()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(client);
        var task = await PostAsync(client, "/tasks", JsonSerializer.Serialize(new { title = "commented", assigneeId = assignee.Id }), token: owner.AccessToken);
        Assert.True(task.Status == HttpStatusCode.Created, task.Text);
        var taskId = task.Json().GetProperty("id").GetString();

        var commentKey = NewKey();
        var commentBody = JsonSerializer.Serialize(new { body = "looks good" });
        var comment = await PostAsync(client, $"/tasks/{taskId}/comments", commentBody, commentKey, owner.AccessToken);
        var commentAgain = await PostAsync(client, $"/tasks/{taskId}/comments", commentBody, commentKey, owner.AccessToken);
        Assert.True(comment.Status == HttpStatusCode.Created, comment.Text);
        Assert.True(commentAgain.Replayed);
        Assert.Equal(comment.Body, commentAgain.Body);
        using (var comments = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, $"/tasks/{taskId}/comments", owner.AccessToken))
        {
            var items = JsonDocument.Parse(await comments.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
            Assert.Equal(1, items.GetArrayLength());
        }

        var notificationId = await WaitForNotificationAsync(client, assignee.AccessToken, Guid.Parse(taskId!));
        var readKey = NewKey();
        var read = await PostAsync(client, $"/notifications/{notificationId}/read", "", readKey, assignee.AccessToken);
        var readAgain = await PostAsync(client, $"/notifications/{notificationId}/read", "", readKey, assignee.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, read.Status);
        Assert.False(read.Replayed);
        Assert.Equal(HttpStatusCode.NoContent, readAgain.Status);
        Assert.True(readAgain.Replayed);
        Assert.Empty(readAgain.Body);
    }

    [Fact]
    public async Task Same_key_with_a_different_body_or_endpoint_is_422_problem_and_changes_nothing()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var key = NewKey();
        var first = await PostAsync(client, "/tasks", """{"title":"original"}""", key, owner.AccessToken);
        Assert.Equal(HttpStatusCode.Created, first.Status);

        var otherBody = await PostAsync(client, "/tasks", """{"title":"changed"}""", key, owner.AccessToken);
        var otherEndpoint = await PostAsync(client, $"/tasks/{first.Json().GetProperty("id").GetString()}/comments", """{"title":"original"}""", key, owner.AccessToken);

        AssertProblem(otherBody, HttpStatusCode.UnprocessableEntity);
        AssertProblem(otherEndpoint, HttpStatusCode.UnprocessableEntity);
        using var list = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/tasks?limit=100", owner.AccessToken);
        var titles = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("title").GetString()).ToList();
        Assert.Equal(["original"], titles);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public async Task Malformed_key_is_400_problem(int length)
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        // 256 characters is one too many; a tab is not printable ASCII.
        var key = length > 0 ? new string('k', length) : "tab\there";
        var response = await PostAsync(client, "/tasks", """{"title":"never"}""", key, owner.AccessToken);

        AssertProblem(response, HttpStatusCode.BadRequest);
        using var list = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/tasks?limit=100", owner.AccessToken);
        Assert.Equal(0, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength());

        var longest = await PostAsync(client, "/tasks", """{"title":"fits"}""", new string('k', 255), owner.AccessToken);
        Assert.Equal(HttpStatusCode.Created, longest.Status);
    }

    [Fact]
    public async Task Same_key_while_the_first_request_runs_is_409_problem_and_only_one_account_is_created()
    {
        using var client = fixture.CreateGatewayClient();
        // Registration hashes a password (deliberately slow), so concurrent retries overlap the first one. Each round
        // holds whatever the timing: one 201 that ran, the others 409 (still running) or a replay of that 201.
        var sawConflict = false;
        for (var round = 0; round < 5 && !sawConflict; round++)
        {
            var key = NewKey();
            var email = UsersApiClient.NewEmail("race");
            var body = JsonSerializer.Serialize(new { email, password = UsersApiClient.DefaultPassword, displayName = "Race" });
            var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(client, "/users/register", body, key)));

            var ran = Assert.Single(answers, a => a.Status == HttpStatusCode.Created && !a.Replayed);
            foreach (var answer in answers.Where(a => a != ran))
            {
                if (answer.Status == HttpStatusCode.Conflict)
                {
                    AssertProblem(answer, HttpStatusCode.Conflict);
                    Assert.Equal("Request in progress", answer.Json().GetProperty("title").GetString());
                    sawConflict = true;
                }
                else
                {
                    Assert.True(answer.Status == HttpStatusCode.Created && answer.Replayed, $"{(int)answer.Status}: {answer.Text}");
                    Assert.Equal(ran.Body, answer.Body);
                }
            }

            // After the first completed, the key replays.
            var after = await PostAsync(client, "/users/register", body, key);
            Assert.True(after.Replayed);
            Assert.Equal(ran.Body, after.Body);
        }

        Assert.True(sawConflict, "No concurrent request with the same key saw 409 in 5 rounds of 6.");
    }

    [Fact]
    public async Task With_redis_stopped_a_keyed_write_is_503_with_retry_after_and_an_unkeyed_one_still_works()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();

        var stop = await commands.ExecuteCommandAsync("redis", "resource-stop");
        Assert.True(stop.Success, stop.Message);
        try
        {
            using (var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                var state = await fixture.App.ResourceNotifications.WaitForResourceAsync("redis", KnownResourceStates.TerminalStates, stopped.Token);
                Assert.Contains(state, KnownResourceStates.TerminalStates);
            }

            var keyed = await PostAsync(client, "/tasks", """{"title":"keyed during outage"}""", NewKey(), owner.AccessToken);
            AssertProblem(keyed, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Idempotency store unavailable", keyed.Json().GetProperty("title").GetString());
            Assert.True(int.Parse(keyed.Header("Retry-After") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1, keyed.Header("Retry-After"));

            var unkeyed = await PostAsync(client, "/tasks", """{"title":"unkeyed during outage"}""", token: owner.AccessToken);
            Assert.True(unkeyed.Status == HttpStatusCode.Created, unkeyed.Text);
        }
        finally
        {
            var start = await commands.ExecuteCommandAsync("redis", "resource-start");
            Assert.True(start.Success, start.Message);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var name in TaskFlowAppFixture.BackingNames.Concat(TaskFlowAppFixture.ServiceNames))
        {
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        // Back: keyed writes work again (the services reconnect by themselves).
        var key = NewKey();
        CapturedResponse? recovered = null;
        for (var attempt = 0; attempt < 30 && recovered?.Status != HttpStatusCode.Created; attempt++)
        {
            recovered = await PostAsync(client, "/tasks", """{"title":"keyed after outage"}""", key, owner.AccessToken);
            if (recovered.Status != HttpStatusCode.Created)
            {
                await Task.Delay(1000);
            }
        }

        Assert.Equal(HttpStatusCode.Created, recovered?.Status);
        Assert.True((await PostAsync(client, "/tasks", """{"title":"keyed after outage"}""", key, owner.AccessToken)).Replayed);
        // Leaves the shared app as other tests expect it: both gateways back on their shared (Redis) counters.
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
    }

    private static async Task<Guid> WaitForNotificationAsync(HttpClient client, string token, Guid taskId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications?limit=100", token);
            var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
            foreach (var item in items.EnumerateArray())
            {
                if (item.GetProperty("taskId").GetGuid() == taskId)
                {
                    return item.GetProperty("id").GetGuid();
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No notification for task {taskId}.");
            await Task.Delay(100);
        }
    }
}
