using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// Runs one GraphQL request for one caller: validation with the request budget and the complexity limit (before
/// anything executes), execution with the caller's REST access, one span for the operation and its metrics.
/// </summary>
public sealed partial class GraphExecutor(
    IDocumentExecuter executer,
    TaskFlowSchema schema,
    IHttpClientFactory clients,
    GraphTelemetry telemetry,
    ILoggerFactory loggers,
    ILogger<GraphExecutor> logger)
{
    public const string AnonymousOperation = "anonymous";

    /// <summary>
    /// The standard rules plus the limits: the request budget (downstream calls, mutation fields, depth without the
    /// introspection fields) and the size budget, which counts introspection fields like any other.
    /// </summary>
    public static readonly IReadOnlyList<IValidationRule> Rules =
    [
        .. DocumentValidator.CoreRules,
        new ComplexityValidationRule(new ComplexityOptions
        {
            MaxComplexity = GraphLimits.MaxComplexity,
            DefaultComplexityImpactDelegate = IntrospectionSize.Impact,
        }),
        RequestBudgetRule.Instance,
    ];

    private static readonly IReadOnlyList<IValidationRule> QueryOnlyRules = [.. Rules, QueryOnlyRule.Instance];

    public async Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, HttpContext http, bool queryOnly)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = GraphTelemetry.Source.StartActivity("graphql.execute");
        var api = new ServiceApi(
            clients, telemetry, loggers.CreateLogger<ServiceApi>(),
            http.Request.Headers.Authorization.ToString(),
            http.Request.Headers[ServiceApi.RequestIdHeader].FirstOrDefault());
        var permits = MutationPermits.From(http.Request.Headers);

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            ValidationRules = queryOnly ? QueryOnlyRules : Rules,
            UserContext = new GraphRequestContext(api, permits),
            RequestServices = http.RequestServices,
            User = http.User,
            CancellationToken = http.RequestAborted,
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = context =>
            {
                LogResolverFailed(logger, context.FieldContext?.FieldDefinition.Name ?? "(none)", context.OriginalException);
                return Task.CompletedTask;
            },
        });

        var operation = OperationName(request.OperationName ?? result.Operation?.Name?.StringValue);
        var type = result.Operation?.Operation.ToString().ToLowerInvariant() ?? "invalid";
        if (activity is not null)
        {
            activity.DisplayName = $"graphql {type} {operation}";
            activity.SetTag("graphql.operation.name", operation);
            activity.SetTag("graphql.operation.type", type);
            if (result.Errors is { Count: > 0 })
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        telemetry.RequestCompleted(operation, type, Stopwatch.GetElapsedTime(started), ErrorCodes(result));
        return result;
    }

    /// <summary>A request refused before GraphQL saw it (no token, not JSON, too long): counted like any other.</summary>
    public ExecutionResult Reject(GraphError error, string? operationName)
    {
        var result = new ExecutionResult { Executed = false, Errors = [error] };
        telemetry.RequestCompleted(OperationName(operationName), "invalid", TimeSpan.Zero, ErrorCodes(result));
        return result;
    }

    /// <summary>
    /// The operation name as a metric label: client-chosen, so only a bounded identifier is kept as it is.
    /// </summary>
    public static string OperationName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : AnonymousOperation;

    private static IEnumerable<string> ErrorCodes(ExecutionResult result) =>
        result.Errors?.Select(e => GraphErrorInfoProvider.Describe(e).Code) ?? [];

    [LoggerMessage(Level = LogLevel.Error, Message = "A GraphQL resolver failed unexpectedly (field {Field})")]
    private static partial void LogResolverFailed(ILogger logger, string field, Exception exception);
}
