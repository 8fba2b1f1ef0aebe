namespace TaskFlow.Graph.Schema;

/// <summary>The schema as SDL, printed once.</summary>
public static class SchemaDocument
{
    private static string? s_printed;

    public static string Get(TaskFlowSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return s_printed ??= schema.Print(new PrintOptions { IncludeDescriptions = true });
    }
}
