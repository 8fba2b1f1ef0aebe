namespace TaskFlow.Manifests.Aspire;

/// <summary>A piece of a resolved manifest value: literal text, or a reference the cluster fills in at run time.</summary>
public abstract record ValuePart;

public sealed record LiteralPart(string Text) : ValuePart;

/// <summary>A key of the generated Secret: secret values never become literal text.</summary>
public sealed record SecretPart(string Key) : ValuePart;

/// <summary>A key of the parameters ConfigMap (a non-secret parameter an operator may change).</summary>
public sealed record ParameterPart(string Key) : ValuePart;

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
