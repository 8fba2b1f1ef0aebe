namespace TaskFlow.Gateway.Health;

/// <summary>All the public <c>/health</c> says: <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</summary>
public sealed record PublicHealthStatus(string Status);
