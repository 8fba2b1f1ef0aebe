using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Gateway.Middleware;
using Yarp.ReverseProxy.Forwarder;

namespace TaskFlow.Tests.Gateway;

/// <summary>Forwarding failures that YARP answers without a body become problem+json (API.md: every status >= 400).</summary>
[Trait("Category", "Unit")]
public sealed class ForwardingFailureTests
{
    [Theory]
    [InlineData(ForwarderError.Request, StatusCodes.Status502BadGateway)]
    [InlineData(ForwarderError.RequestTimedOut, StatusCodes.Status504GatewayTimeout)]
    public async Task Unreachable_or_slow_service_answers_problem_json(ForwarderError error, int status)
    {
        var context = NewContext();
        await ServiceUnavailableMiddleware.InvokeAsync(context, () =>
        {
            context.Response.StatusCode = status;
            context.Features.Set<IForwarderErrorFeature>(new Failure(error));
            return Task.CompletedTask;
        });

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task A_proxied_response_is_left_alone()
    {
        var context = NewContext();
        await ServiceUnavailableMiddleware.InvokeAsync(context, () =>
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return Task.CompletedTask;
        });

        Assert.Equal(0, context.Response.Body.Length);
    }

    private static DefaultHttpContext NewContext()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services, Response = { Body = new MemoryStream() } };
    }

    private sealed record Failure(ForwarderError Error) : IForwarderErrorFeature
    {
        public Exception? Exception => null;
    }
}
