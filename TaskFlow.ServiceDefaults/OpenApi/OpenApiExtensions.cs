using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every service describes itself with the built-in OpenAPI generator at <c>/openapi/v1.json</c>; the gateway
/// serves these documents to clients as <c>/openapi/{service}.json</c> and renders them at <c>/docs</c>.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IHostApplicationBuilder AddTaskFlowOpenApi(this IHostApplicationBuilder builder, string title, string description)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = title, Description = description, Version = "v1" };
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapTaskFlowOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
