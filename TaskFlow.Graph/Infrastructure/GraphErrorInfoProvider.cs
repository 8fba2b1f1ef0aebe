namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// Writes every GraphQL error as <c>{message, locations, path, extensions: {code}}</c>. Errors raised on purpose and
/// errors in the request itself (syntax, validation, variables, limits) keep their message, which describes the
/// request; anything unexpected is reported as INTERNAL_SERVER_ERROR without its exception text.
/// </summary>
public sealed class GraphErrorInfoProvider : IErrorInfoProvider
{
    public const string InternalMessage = "An internal error occurred.";

    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);
        var (code, message) = Describe(executionError);
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (executionError is GraphError { Fields: { Count: > 0 } fields })
        {
            extensions["fields"] = fields;
        }

        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    public static (string Code, string Message) Describe(ExecutionError error) => error switch
    {
        GraphError { Code: { } code } => (code, error.Message),
        UnhandledError { InnerException: GraphQLParser.Exceptions.GraphQLMaxDepthExceededException } =>
            (GraphErrorCodes.BadUserInput, "The query text is nested too deeply to parse."),
        UnhandledError => (GraphErrorCodes.InternalServerError, InternalMessage),
        TimeoutError => (GraphErrorCodes.Unavailable, "The request took too long."),
        RequestError or DocumentError or ValidationError or InvalidValueError => (GraphErrorCodes.BadUserInput, error.Message),
        _ => (GraphErrorCodes.InternalServerError, InternalMessage),
    };
}
