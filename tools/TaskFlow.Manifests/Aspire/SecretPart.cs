namespace TaskFlow.Manifests.Aspire;

/// <summary>A key of the generated Secret: secret values never become literal text.</summary>
public sealed record SecretPart(string Key) : ValuePart;
