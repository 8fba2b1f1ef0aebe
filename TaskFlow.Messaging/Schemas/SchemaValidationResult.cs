namespace TaskFlow.Messaging.Schemas;

/// <summary>The outcome of checking an event's <c>data</c> against its JSON Schema.</summary>
public sealed record SchemaValidationResult(bool IsValid, IReadOnlyList<string> Errors)
{
    public static SchemaValidationResult Valid { get; } = new(true, []);

    public override string ToString() => IsValid ? "valid" : string.Join("; ", Errors);
}
