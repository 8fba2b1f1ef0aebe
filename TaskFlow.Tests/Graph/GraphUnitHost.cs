using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Graph.Apis;
using TaskFlow.Graph.Extensions;
using TaskFlow.Graph.Infrastructure;
using TaskFlow.Graph.Schema;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// The Graph service's real composition (AddApplicationServices, schema, executor, HTTP handlers) without a network:
/// the REST services are a stub at the process edge that answers by path and records every call.
/// </summary>
public sealed class GraphUnitHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    public GraphUnitHost(Func<HttpRequestMessage, HttpResponseMessage> rest)
        : this(request => Task.FromResult(rest(request)))
    {
    }

    /// <summary>A stub that answers asynchronously (e.g. slowly, to observe how many calls are in flight).</summary>
    public GraphUnitHost(Func<HttpRequestMessage, Task<HttpResponseMessage>> rest)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.AddApplicationServices();
        builder.Services.AddSingleton<IHttpClientFactory>(new StubClientFactory(this, rest));
        _app = builder.Build();
    }

    /// <summary>Every REST call the resolvers made: method and path with query.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public static ClaimsPrincipal Caller(string userId = "0193a0c0-0000-7000-8000-000000000001") =>
        new(new ClaimsIdentity([new Claim("sub", userId)], "Bearer"));

    public Task<GraphAnswer> PostAsync(
        string body, string contentType = "application/json", ClaimsPrincipal? user = null, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(http =>
        {
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                http.Request.Headers[name] = value;
            }

            http.Request.Method = "POST";
            http.Request.ContentType = contentType;
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            http.User = user ?? Caller();
        }, (http, executor, serializer) => GraphQLApi.PostAsync(http, executor, serializer));

    public Task<GraphAnswer> PostQueryAsync(
        string query, object? variables = null, ClaimsPrincipal? user = null, IReadOnlyDictionary<string, string>? headers = null) =>
        PostAsync(JsonSerializer.Serialize(new { query, variables }), user: user, headers: headers);

    public Task<GraphAnswer> GetAsync(string query, string? variables = null) =>
        SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.User = Caller();
        }, (http, executor, serializer) => GraphQLApi.GetAsync(http, executor, serializer, query, variables, null));

    public string Schema() => SchemaDocument.Get(_app.Services.GetRequiredService<TaskFlowSchema>());

    private async Task<GraphAnswer> SendAsync(
        Action<HttpContext> prepare,
        Func<HttpContext, GraphExecutor, GraphQL.SystemTextJson.GraphQLSerializer, Task<GraphQLHttpResult>> handle)
    {
        using var scope = _app.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Authorization = "Bearer unit-test-token";
        http.Response.Body = new MemoryStream();
        prepare(http);
        var result = await handle(http, scope.ServiceProvider.GetRequiredService<GraphExecutor>(),
            scope.ServiceProvider.GetRequiredService<GraphQL.SystemTextJson.GraphQLSerializer>());
        await result.ExecuteAsync(http);
        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        return new GraphAnswer(http.Response.StatusCode, text, JsonDocument.Parse(text).RootElement.Clone(), http.Response.Headers);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record GraphAnswer(int Status, string Text, JsonElement Json, IHeaderDictionary Headers)
    {
        public JsonElement Data => Json.GetProperty("data");

        public IReadOnlyList<string> ErrorCodes => Json.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString() ?? "")]
            : [];
    }

    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json"),
    };

    public static HttpResponseMessage Problem(HttpStatusCode status, string title, string? detail = null, object? errors = null) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(new { type = "about:blank", title, status = (int)status, detail, errors }),
            Encoding.UTF8, "application/problem+json"),
    };

    private sealed class StubClientFactory(GraphUnitHost host, Func<HttpRequestMessage, Task<HttpResponseMessage>> rest) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) =>
            new(new StubHandler(host, rest)) { BaseAddress = new Uri($"http://{name}") };
    }

    private sealed class StubHandler(GraphUnitHost host, Func<HttpRequestMessage, Task<HttpResponseMessage>> rest) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            host.Calls.Enqueue($"{request.Method} {request.RequestUri?.PathAndQuery}");
            return rest(request);
        }
    }
}
