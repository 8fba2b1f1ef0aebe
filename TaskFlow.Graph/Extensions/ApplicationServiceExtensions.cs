using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace TaskFlow.Graph.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTaskFlowAuthentication();

        builder.Services.AddOptions<DownstreamOptions>()
            .Bind(builder.Configuration.GetSection(DownstreamOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        AddDownstreamClient(builder, Downstream.Users, o => o.Users);
        AddDownstreamClient(builder, Downstream.Tasks, o => o.Tasks);
        AddDownstreamClient(builder, Downstream.Notifier, o => o.Notifier);

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

    private static void AddDownstreamClient(IHostApplicationBuilder builder, string name, Func<DownstreamOptions, Uri> address) =>
        builder.Services.AddHttpClient(name, (sp, client) => client.BaseAddress = address(sp.GetRequiredService<IOptions<DownstreamOptions>>().Value));
}
