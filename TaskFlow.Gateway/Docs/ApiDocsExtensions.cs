using Scalar.AspNetCore;
using TaskFlow.Messaging.AsyncApi;

namespace TaskFlow.Gateway.Docs;

/// <summary>
/// <c>/docs</c>: the Scalar API reference over every service's OpenAPI document, which the gateway proxies as
/// <c>/openapi/{service}.json</c>. "Authorize" uses the documents' OAuth2 password flow against /users/login.
/// </summary>
public static class ApiDocsExtensions
{
    public static readonly string[] Documents = ["users", "tasks", "notifications", "webhooks"];

    public const string AsyncApiPath = AsyncApiDocument.ApiPath;

    /// <summary>
    /// What has no OpenAPI document, linked from the page: the GraphQL schema (SDL, bearer token required) and the
    /// AsyncAPI 3.0 document of the integration events.
    /// </summary>
    public const string HeaderLinks =
        "<p style=\"margin:8px 16px\">GraphQL: <code>POST /graphql</code> &mdash; <a href=\"/graphql/schema\">schema (SDL)</a> (bearer token required)" +
        " &middot; Integration events: <a href=\"" + AsyncApiPath + "\">AsyncAPI 3.0 document</a></p>";

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("TaskFlow API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocuments(Documents)
            .AddPreferredSecuritySchemes([OpenApiExtensions.OAuth2Scheme, OpenApiExtensions.BearerScheme])
            .EnablePersistentAuthentication()
            .AddHeaderContent(HeaderLinks));
        app.MapGet(AsyncApiPath, () => TypedResults.Text(AsyncApiDocument.ToJson(), "application/json"))
            .AllowAnonymous()
            .WithName("AsyncApiDocument");
        return app;
    }
}
