using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Bench;

/// <summary>
/// The restart row (issue 27): one service stopped through Aspire's <c>resource-stop</c> command (checked: the resource
/// reaches a terminal state), started again with <c>resource-start</c> (the build is warm: the AppHost runs the built
/// assemblies), and timed from the start command until a new user can register, log in and create a task through the
/// gateway, each attempt with its own short timeout.
/// </summary>
internal static class RestartStage
{
    public static async Task<TimeSpan> RunAsync(BenchSystem system, string resource, CancellationToken cancellationToken)
    {
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();
        var stop = await commands.ExecuteCommandAsync(resource, "resource-stop", cancellationToken);
        if (!stop.Success)
        {
            throw new InvalidOperationException($"resource-stop of {resource} failed: {stop.Message}");
        }

        using (var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            stopped.CancelAfter(TimeSpan.FromSeconds(60));
            await system.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, stopped.Token);
        }

        var clock = Stopwatch.StartNew();
        var start = await commands.ExecuteCommandAsync(resource, "resource-start", cancellationToken);
        if (!start.Success)
        {
            throw new InvalidOperationException($"resource-start of {resource} failed: {start.Message}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        while (!await RegisterLoginCreateAsync(system, deadline.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }

        return clock.Elapsed;
    }

    private static async Task<bool> RegisterLoginCreateAsync(BenchSystem system, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(5));
        using var gateway = system.Client("gateway");
        var email = $"bench-restart-{Guid.NewGuid():N}@example.test";
        try
        {
            using var register = await gateway.PostAsJsonAsync("/users/register", new { email, password = BenchSystem.Password, displayName = "Bench restart" }, attempt.Token);
            if (!register.IsSuccessStatusCode)
            {
                return false;
            }

            using var login = await gateway.PostAsJsonAsync("/users/login", new { email, password = BenchSystem.Password }, attempt.Token);
            if (!login.IsSuccessStatusCode)
            {
                return false;
            }

            var token = (await login.Content.ReadFromJsonAsync<JsonElement>(attempt.Token)).GetProperty("accessToken").GetString();
            using var create = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { title = "after restart" }) };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var created = await gateway.SendAsync(create, attempt.Token);
            return created.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
