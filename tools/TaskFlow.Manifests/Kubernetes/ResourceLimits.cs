namespace TaskFlow.Manifests.Kubernetes;

public sealed record ResourceLimits(ResourceQuantities Requests, ResourceQuantities Limits);
