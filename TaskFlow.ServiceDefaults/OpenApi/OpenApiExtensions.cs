using TaskFlow.ServiceDefaults.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every service describes itself with the built-in OpenAPI generator at <c>/openapi/v1.json</c>; the gateway
/// serves these documents to clients as <c>/openapi/{service}.json</c> and renders them at <c>/docs</c>.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string BearerScheme = "Bearer";
    public const string OAuth2Scheme = "OAuth2";

    public static IHostApplicationBuilder AddTaskFlowOpenApi(this IHostApplicationBuilder builder, string title, string description)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = title,
                Description = description,
                Version = "v1",
                Contact = new OpenApiContact { Name = "TaskFlow maintainers" },
            };
            // Clients reach every service through the gateway, so paths are relative to wherever the doc is served.
            document.Servers = [new OpenApiServer { Url = "/" }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from POST /users/login.",
                },
                [OAuth2Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "OAuth2 resource-owner password flow against POST /users/login.",
                    Flows = new OpenApiOAuthFlows
                    {
                        Password = new OpenApiOAuthFlow { TokenUrl = new Uri("/users/login", UriKind.Relative) },
                    },
                },
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OAuth2Scheme, document)] = [] },
            ];
            return Task.CompletedTask;
        }).AddDocumentTransformer<GatewayContractTransformer>().AddDocumentTransformer<OpenApiExampleTransformer>());
        return builder;
    }

    /// <summary>Documents a response header the endpoint sends (e.g. <c>ETag</c>) on responses with <paramref name="statusCode"/>.</summary>
    public static RouteHandlerBuilder ProducesResponseHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description) =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description));

    /// <summary>
    /// An example value of the parameter <paramref name="name"/> (path, query or header) in the document;
    /// <paramref name="required"/>: the endpoint answers 400 without it, though its handler takes it as optional.
    /// </summary>
    public static RouteHandlerBuilder WithParameterExample(this RouteHandlerBuilder builder, string name, object example, bool required = false) =>
        builder.WithMetadata(new OpenApiExampleMetadata(name, "", example, required));

    /// <summary>An example request body (serialized camelCase) in the document.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example, string contentType = "application/json") =>
        builder.WithMetadata(new OpenApiExampleMetadata(null, contentType, example));

    public static WebApplication MapTaskFlowOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
