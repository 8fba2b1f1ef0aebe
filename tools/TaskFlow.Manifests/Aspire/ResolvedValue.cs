namespace TaskFlow.Manifests.Aspire;

/// <summary>
/// A manifest value with every <c>{resource.property}</c> expression replaced, or the reason it is left out of the
/// cluster (it only refers to an endpoint the cluster does not serve).
/// </summary>
public sealed record ResolvedValue(IReadOnlyList<ValuePart> Parts, string? OmittedBecause = null)
{
    public bool IsOmitted => OmittedBecause is not null;

    public bool IsLiteral => Parts.All(p => p is LiteralPart);

    public string LiteralText => string.Concat(Parts.OfType<LiteralPart>().Select(p => p.Text));

    public static ResolvedValue Literal(string text) => new([new LiteralPart(text)]);

    public static ResolvedValue Omitted(string reason) => new([], reason);
}
