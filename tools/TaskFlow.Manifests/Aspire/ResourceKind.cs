namespace TaskFlow.Manifests.Aspire;

/// <summary>What the converter does with a resource, by its manifest <c>type</c>.</summary>
public enum ResourceKind
{
    Project,
    Container,
    Value,
    Parameter,
    AnnotatedString,
    Unsupported,
}
