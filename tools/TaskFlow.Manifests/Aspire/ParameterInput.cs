namespace TaskFlow.Manifests.Aspire;

public sealed record ParameterInput(bool Secret, string? DefaultValue, GenerateRule? Generate);
