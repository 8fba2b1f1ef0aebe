namespace TaskFlow.Manifests.Kubernetes;

public sealed record ResourceQuantities(string Cpu, string Memory);
