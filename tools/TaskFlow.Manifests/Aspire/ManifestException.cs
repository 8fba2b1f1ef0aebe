namespace TaskFlow.Manifests.Aspire;

/// <summary>A manifest the converter cannot read at all (as opposed to validation errors, which are collected).</summary>
public sealed class ManifestException(string message) : Exception(message);
