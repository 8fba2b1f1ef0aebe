using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Gateway.Health;

/// <summary>The gateway is only ready when the service behind a route is: asks that service's own /health.</summary>
public sealed class DownstreamHealthCheck(IHttpClientFactory httpClientFactory, string serviceName) : IHealthCheck
{
    public const string HttpClientName = "downstream-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.GetAsync(new Uri($"http://{serviceName}/health"), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"{serviceName} answered {(int)response.StatusCode}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{serviceName} is unreachable.");
        }
    }
}
