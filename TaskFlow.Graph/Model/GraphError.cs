namespace TaskFlow.Graph.Model;

/// <summary>
/// A GraphQL error TaskFlow raises on purpose: its message is written for the client and its code is one of
/// <see cref="GraphErrorCodes"/>. Anything else that escapes a resolver is reported without its text.
/// </summary>
public sealed class GraphError : ExecutionError
{
    public GraphError(string code, string message, IReadOnlyDictionary<string, string[]>? fields = null)
        : base(message)
    {
        Code = code;
        Fields = fields;
    }

    /// <summary>Validation messages per input field, as the REST service reported them.</summary>
    public IReadOnlyDictionary<string, string[]>? Fields { get; }

    public static GraphError BadInput(string message) => new(GraphErrorCodes.BadUserInput, message);
}
