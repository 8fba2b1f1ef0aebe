using Microsoft.Extensions.Http.Resilience;

namespace TaskFlow.Graph.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTaskFlowAuthentication();

        foreach (var service in Downstream.All)
        {
            builder.Services.AddServiceClient(service);
        }

        // A mutation is a POST/PUT/DELETE: retrying it after a lost answer could apply it twice.
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.DisableForUnsafeHttpMethods());

        builder.Services.AddSingleton<GraphTelemetry>();
        builder.Services.AddSingleton<TaskFlowSchema>();
        builder.Services.AddSingleton<IDocumentExecuter, DocumentExecuter>();
        builder.Services.AddSingleton<IErrorInfoProvider, GraphErrorInfoProvider>();
        builder.Services.AddSingleton(sp => new GraphQLSerializer(sp.GetRequiredService<IErrorInfoProvider>()));
        builder.Services.AddSingleton<GraphExecutor>();
        return builder;
    }
}
