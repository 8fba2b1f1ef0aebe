namespace TaskFlow.Manifests.Kubernetes;

/// <summary>A character a secret must not contain, because one of its uses cannot escape it.</summary>
public sealed record SecretConstraint(string Forbidden, string Reason);
