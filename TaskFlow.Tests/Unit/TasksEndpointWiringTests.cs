using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The real Tasks app in-process (<see cref="InProcessTasksApp"/>: its own Program, endpoints, authorization and
/// repository, fakes only at the process edge) with the Users service answering "exists" and the test token issuer's
/// JWKS. Visibility (404), the assignee's missing delete right (403) and If-Match (412) are checked through HTTP.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TasksEndpointWiringTests : IAsyncLifetime
{
    private static readonly string Owner = Guid.NewGuid().ToString();
    private static readonly string Assignee = Guid.NewGuid().ToString();
    private static readonly string Stranger = Guid.NewGuid().ToString();
    private readonly TestTokenIssuer _issuer = new();
    private InProcessTasksApp _tasks = null!;

    public async Task InitializeAsync() =>
        _tasks = await InProcessTasksApp.StartAsync(() => new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)), _issuer);

    public async Task DisposeAsync()
    {
        await _tasks.DisposeAsync();
        _issuer.Dispose();
    }

    private HttpClient ClientFor(string user)
    {
        var client = _tasks.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Mint(user));
        return client;
    }

    private async Task<(string Id, string ETag)> CreateTaskAsync()
    {
        using var owner = ClientFor(Owner);
        using var response = await owner.PostAsJsonAsync("/tasks", new { title = "Wiring", assigneeId = Assignee });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("id").GetString()!, response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Another_users_task_is_not_found_for_get_put_and_delete()
    {
        var (id, _) = await CreateTaskAsync();
        using var stranger = ClientFor(Stranger);

        using var get = await stranger.GetAsync($"/tasks/{id}");
        using var put = await stranger.PutAsJsonAsync($"/tasks/{id}", new { title = "Mine now" });
        using var delete = await stranger.DeleteAsync($"/tasks/{id}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        using var owner = ClientFor(Owner);
        using var stillThere = await owner.GetAsync($"/tasks/{id}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Contains("Wiring", await stillThere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_assignee_sees_the_task_but_may_not_delete_it()
    {
        var (id, _) = await CreateTaskAsync();
        using var assignee = ClientFor(Assignee);

        using var get = await assignee.GetAsync($"/tasks/{id}");
        using var delete = await assignee.DeleteAsync($"/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
    }

    [Fact]
    public async Task A_put_with_a_stale_If_Match_is_a_precondition_failure()
    {
        var (id, created) = await CreateTaskAsync();
        using var owner = ClientFor(Owner);
        using var first = new HttpRequestMessage(HttpMethod.Put, $"/tasks/{id}") { Content = JsonContent.Create(new { title = "First edit" }) };
        first.Headers.TryAddWithoutValidation("If-Match", created);
        using var firstResponse = await owner.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/tasks/{id}") { Content = JsonContent.Create(new { title = "Lost update" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", created);
        using var staleResponse = await owner.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, staleResponse.StatusCode);
        using var current = await owner.GetAsync($"/tasks/{id}");
        Assert.Contains("First edit", await current.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_MongoDB_outage_is_answered_503_with_Retry_After(bool executionTimeout)
    {
        // Tasks' own composition: ServiceDefaults' handler knows no MongoDB, Tasks adds the driver's outage exceptions.
        var connection = new ConnectionId(new ServerId(new ClusterId(), new DnsEndPoint("127.0.0.1", 1)));
        Exception outage = executionTimeout
            ? new MongoExecutionTimeoutException(connection, "operation exceeded time limit")
            : new MongoConnectionException(connection, "no server");
        using var scope = _tasks.App.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };

        var handled = false;
        foreach (var handler in scope.ServiceProvider.GetServices<IExceptionHandler>())
        {
            if (await handler.TryHandleAsync(context, outage, CancellationToken.None))
            {
                handled = true;
                break;
            }
        }

        Assert.True(handled, "no exception handler answered a MongoDB outage");
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }
}
