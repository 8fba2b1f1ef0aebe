namespace TaskFlow.Manifests.Aspire;

/// <summary>Aspire's rule for a generated parameter value (e.g. a password).</summary>
public sealed record GenerateRule(int MinLength, bool Special);
