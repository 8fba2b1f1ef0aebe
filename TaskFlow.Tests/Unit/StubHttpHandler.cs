namespace TaskFlow.Tests.Unit;

/// <summary>An HTTP edge that answers every request in-process (no socket): the other services of a unit test.</summary>
public sealed class StubHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(answer(request));
}
