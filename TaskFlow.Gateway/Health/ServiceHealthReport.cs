namespace TaskFlow.Gateway.Health;

/// <summary>One routed service as the gateway sees it: how many replicas it knows and how many it would send requests to.</summary>
public sealed record ServiceHealthReport(string Service, string Status, int Replicas, int Available, IReadOnlyList<ReplicaHealthReport> Destinations);
