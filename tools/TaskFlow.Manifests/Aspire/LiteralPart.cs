namespace TaskFlow.Manifests.Aspire;

public sealed record LiteralPart(string Text) : ValuePart;
