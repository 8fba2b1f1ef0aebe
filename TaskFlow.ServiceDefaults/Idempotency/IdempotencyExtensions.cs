using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>.WithIdempotency()</c> on a write endpoint makes it honour <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>).
/// The service needs an <c>IConnectionMultiplexer</c> (its Aspire Redis client); the store and options are registered
/// by <c>AddServiceDefaults</c>.
/// </summary>
public static class IdempotencyExtensions
{
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder, IdempotencyScope scope = IdempotencyScope.User)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithMetadata(new IdempotentEndpointMetadata(scope))
            .AddEndpointFilter(new IdempotencyFilter(scope));
    }

    internal static IHostApplicationBuilder AddIdempotencyStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // A factory, so that a service without Redis (and without idempotent endpoints) still passes ValidateOnBuild.
        builder.Services.TryAddSingleton(sp => new IdempotencyStore(
            sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdempotencyOptions>>()));
        return builder;
    }

    /// <summary>
    /// A keyed request to an idempotent endpoint gets a rewindable body before anything reads it, so the filter can
    /// fingerprint the exact bytes even where the body is bound to a parameter before filters run.
    /// </summary>
    internal static WebApplication UseIdempotentRequestBuffering(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(IdempotencyRequest.KeyHeader) &&
                context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is not null)
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });
        return app;
    }
}
