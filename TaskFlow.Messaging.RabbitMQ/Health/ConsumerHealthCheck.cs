namespace TaskFlow.Messaging.Health;

/// <summary>
/// Degraded while the consumer is not consuming. The broker connection itself is checked by Aspire.RabbitMQ.Client's
/// own check, so this reports Degraded (still 200, still serving) rather than Unhealthy: a service whose consumer is
/// reconnecting keeps answering requests, and its events wait in the queue.
/// </summary>
internal sealed class ConsumerHealthCheck(IntegrationEventConsumerOptions options, ConsumerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Consuming
            ? HealthCheckResult.Healthy($"Consuming {options.QueueName}.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"Not consuming {options.QueueName} (broker unreachable or reconnecting)."));
}
