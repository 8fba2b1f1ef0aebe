using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using TaskFlow.Tests.Distributed;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Faults;

/// <summary>One request sent during a fault, as the client saw it.</summary>
internal sealed record DrillAnswer(string Request, int Status, string? MediaType, TimeSpan? RetryAfter, TimeSpan Elapsed, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsOutageProblem => Status == 503 && MediaType == "application/problem+json" && RetryAfter > TimeSpan.Zero;

    public override string ToString() => $"{Request} -> {Status} {MediaType} retry-after={RetryAfter?.TotalSeconds} in {Elapsed.TotalMilliseconds:F0} ms {Body[..Math.Min(Body.Length, 200)]}";
}

/// <summary>What the drills share: sending a request and recording its answer, service health detail, and recovery.</summary>
internal static class FaultDrill
{
    /// <summary>How long a write may take during a fault: the gateway's ordinary answers take milliseconds.</summary>
    public static readonly TimeSpan NormalTimeout = TimeSpan.FromSeconds(5);

    public static async Task<DrillAnswer> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? json, TimeSpan? timeout = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var clock = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            using var response = await client.SendAsync(request, cancel.Token);
            var body = await response.Content.ReadAsStringAsync(cancel.Token);
            return new DrillAnswer($"{method} {path}", (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                response.Headers.RetryAfter?.Delta, clock.Elapsed, body);
        }
        catch (OperationCanceledException)
        {
            return new DrillAnswer($"{method} {path}", 0, null, null, clock.Elapsed, "no answer in time");
        }
    }

    /// <summary>The status of one entry of a service's own /health report (its port, not the gateway's), and the overall HTTP status.</summary>
    public static async Task<(int HttpStatus, string? Entry)> HealthEntryAsync(HttpClient service, string entry)
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await service.GetAsync("/health", cancel.Token);
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel.Token));
            var status = report.RootElement.GetProperty("entries").TryGetProperty(entry, out var value) ? value.GetProperty("status").GetString() : null;
            return ((int)response.StatusCode, status);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException)
        {
            return (0, null);
        }
    }

    /// <summary>Waits until a service's /health shows <paramref name="entry"/> as <paramref name="expected"/>; returns the HTTP status it answered with.</summary>
    public static async Task<int> WaitForHealthEntryAsync(HttpClient service, string entry, string expected, TimeSpan within)
    {
        var last = (HttpStatus: 0, Entry: (string?)null);
        var seen = await DependencyHealthTests.EventuallyAsync(async () =>
        {
            last = await HealthEntryAsync(service, entry);
            return last.Entry == expected;
        }, within);
        Assert.True(seen, $"/health entry '{entry}' did not become {expected} (last: HTTP {last.HttpStatus}, {last.Entry ?? "missing"})");
        return last.HttpStatus;
    }

    /// <summary>Leaves the shared app as the next test expects it: every resource healthy and every route available on both gateways.</summary>
    public static async Task WaitForEverythingHealthyAsync(TaskFlowAppFixture fixture)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var name in TaskFlowAppFixture.BackingNames.Concat(TaskFlowAppFixture.ServiceNames))
        {
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        await Gateway.GatewayTestSupport.WaitForRoutesHealthyAsync(fixture);
    }
}
