namespace TaskFlow.Manifests.Aspire;

/// <summary>A named volume of a container resource.</summary>
public sealed record AspireVolume(string Name, string Target, bool ReadOnly);
