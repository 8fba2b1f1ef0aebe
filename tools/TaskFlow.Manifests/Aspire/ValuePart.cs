namespace TaskFlow.Manifests.Aspire;

/// <summary>A piece of a resolved manifest value: literal text, or a reference the cluster fills in at run time.</summary>
public abstract record ValuePart;
