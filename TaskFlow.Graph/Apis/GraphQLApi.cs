using System.Net.Http.Headers;

namespace TaskFlow.Graph.Apis;

/// <summary>
/// GraphQL over HTTP: <c>POST /graphql</c> with <c>{query, variables, operationName}</c>, <c>GET /graphql?query=</c>
/// for queries, and the schema as SDL at <c>GET /graphql/schema</c>. Every answer of /graphql, errors included, is a
/// GraphQL response with <c>errors[].extensions.code</c>; none is a 500.
/// </summary>
public static class GraphQLApi
{
    public static IEndpointRouteBuilder MapGraphQLApi(this IEndpointRouteBuilder app)
    {
        var graphql = app.MapGroup("/graphql").WithTags("GraphQL");

        // Anonymous at the endpoint so that a caller without a valid token gets a GraphQL error (UNAUTHENTICATED),
        // not an empty 401; nothing executes for such a caller.
        graphql.MapPost("", PostAsync)
            .AllowAnonymous()
            .WithName("GraphQLPost")
            .WithSummary("Execute a GraphQL query or mutation");

        graphql.MapGet("", GetAsync)
            .AllowAnonymous()
            .WithName("GraphQLGet")
            .WithSummary("Execute a GraphQL query given in the query string");

        graphql.MapGet("/schema", GetSchema)
            .RequireAuthorization()
            .WithName("GraphQLSchema")
            .WithSummary("The schema in GraphQL SDL");

        return app;
    }

    public static async Task<GraphQLHttpResult> PostAsync(HttpContext http, GraphExecutor executor, GraphQLSerializer serializer)
    {
        if (Unauthenticated(http, executor) is { } unauthenticated)
        {
            return unauthenticated;
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Reject(http, executor, StatusCodes.Status415UnsupportedMediaType, "Send the request as application/json.");
        }

        var body = await ReadBodyAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return Reject(http, executor, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {GraphLimits.MaxBodyBytes} bytes.");
        }

        GraphQLRequest? request;
        try
        {
            request = serializer.Deserialize<GraphQLRequest>(body);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException
                                       or NotSupportedException or ArgumentException or OverflowException or DecoderFallbackException)
        {
            return Reject(http, executor, StatusCodes.Status400BadRequest, "The request body is not valid JSON of the form {\"query\", \"variables\", \"operationName\"}.");
        }

        return await ExecuteAsync(request, http, executor, queryOnly: false);
    }

    public static async Task<GraphQLHttpResult> GetAsync(
        HttpContext http, GraphExecutor executor, GraphQLSerializer serializer, string? query, string? variables, string? operationName)
    {
        if (Unauthenticated(http, executor) is { } unauthenticated)
        {
            return unauthenticated;
        }

        Inputs? inputs = null;
        if (!string.IsNullOrEmpty(variables))
        {
            try
            {
                inputs = serializer.Deserialize<Inputs>(variables);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException
                                           or NotSupportedException or ArgumentException or OverflowException)
            {
                return Reject(http, executor, StatusCodes.Status400BadRequest, "The variables parameter is not a JSON object.");
            }
        }

        return await ExecuteAsync(new GraphQLRequest { Query = query, Variables = inputs, OperationName = operationName }, http, executor, queryOnly: true);
    }

    public static IResult GetSchema(TaskFlowSchema schema) =>
        TypedResults.Text(SchemaDocument.Get(schema), "text/plain", Encoding.UTF8);

    private static async Task<GraphQLHttpResult> ExecuteAsync(GraphQLRequest? request, HttpContext http, GraphExecutor executor, bool queryOnly)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            return Reject(http, executor, StatusCodes.Status400BadRequest, "A query is required.");
        }

        if (request.Query.Length > GraphLimits.MaxQueryLength)
        {
            return Reject(http, executor, StatusCodes.Status400BadRequest, $"The query is longer than {GraphLimits.MaxQueryLength} characters.", request.OperationName);
        }

        var result = await executor.ExecuteAsync(request, http, queryOnly);
        var status = result.Executed
            ? StatusCodes.Status200OK
            : result.Errors?.Any(e => e is MutationOverGetError) == true ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status400BadRequest;
        return new GraphQLHttpResult(result, status, GraphQLMediaType.Negotiate(http.Request));
    }

    /// <summary>No valid token: GraphQL clients get a GraphQL error they understand, with 401 and WWW-Authenticate.</summary>
    private static GraphQLHttpResult? Unauthenticated(HttpContext http, GraphExecutor executor) =>
        http.User.Identity?.IsAuthenticated == true
            ? null
            : new GraphQLHttpResult(
                executor.Reject(new GraphError(GraphErrorCodes.Unauthenticated, "A valid bearer access token is required."), null),
                StatusCodes.Status401Unauthorized, GraphQLMediaType.Negotiate(http.Request));

    private static GraphQLHttpResult Reject(HttpContext http, GraphExecutor executor, int status, string message, string? operationName = null) =>
        new(executor.Reject(GraphError.BadInput(message), operationName), status, GraphQLMediaType.Negotiate(http.Request));

    /// <summary>The body as text, or null when it is larger than <see cref="GraphLimits.MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > GraphLimits.MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > GraphLimits.MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
