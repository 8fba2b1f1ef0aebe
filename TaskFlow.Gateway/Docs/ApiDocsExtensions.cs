using Scalar.AspNetCore;

namespace TaskFlow.Gateway.Docs;

/// <summary>
/// <c>/docs</c>: the Scalar API reference over every service's OpenAPI document, which the gateway proxies as
/// <c>/openapi/{service}.json</c>. "Authorize" uses the documents' OAuth2 password flow against /users/login.
/// </summary>
public static class ApiDocsExtensions
{
    public static readonly string[] Documents = ["users", "tasks", "notifications"];

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("TaskFlow API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocuments(Documents)
            .AddPreferredSecuritySchemes([OpenApiExtensions.OAuth2Scheme, OpenApiExtensions.BearerScheme])
            .EnablePersistentAuthentication());
        return app;
    }
}
