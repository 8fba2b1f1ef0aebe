namespace TaskFlow.Manifests.Aspire;

/// <summary>A key of the parameters ConfigMap (a non-secret parameter an operator may change).</summary>
public sealed record ParameterPart(string Key) : ValuePart;
