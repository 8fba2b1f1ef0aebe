namespace TaskFlow.Graph.Infrastructure;

public static class ResolveFieldContextExtensions
{
    public static GraphRequestContext Request(this IResolveFieldContext context) =>
        context.UserContext as GraphRequestContext
        ?? throw new InvalidOperationException("A GraphQL request runs with a GraphRequestContext.");

    /// <summary>
    /// Runs a resolver that calls a service inside its own span, so a request's trace shows each field next to the
    /// REST calls it made.
    /// </summary>
    public static async Task<T> TracedAsync<T>(this IResolveFieldContext context, Func<ServiceApi, CancellationToken, Task<T>> resolve)
    {
        using var activity = GraphTelemetry.StartResolver($"{context.ParentType.Name}.{context.FieldDefinition.Name}", string.Join('.', context.Path));
        return await resolve(context.Request().Api, context.CancellationToken);
    }

    /// <summary>
    /// A mutation field: it spends one of the rate-limit permits the gateway granted (RATE_LIMITED when none is left,
    /// without calling the service), then runs like any resolver that calls a service.
    /// </summary>
    public static Task<T> MutateAsync<T>(this IResolveFieldContext context, Func<ServiceApi, CancellationToken, Task<T>> resolve)
    {
        context.Request().Permits.Spend();
        return context.TracedAsync(resolve);
    }
}
