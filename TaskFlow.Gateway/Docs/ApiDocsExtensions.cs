using Scalar.AspNetCore;

namespace TaskFlow.Gateway.Docs;

/// <summary>
/// <c>/docs</c>: the Scalar API reference over every service's OpenAPI document, which the gateway proxies as
/// <c>/openapi/{service}.json</c>. "Authorize" uses the documents' OAuth2 password flow against /users/login.
/// </summary>
public static class ApiDocsExtensions
{
    public static readonly string[] Documents = ["users", "tasks", "notifications"];

    /// <summary>The GraphQL API has no OpenAPI document; the page links its schema (SDL, bearer token required).</summary>
    public const string GraphQLLink =
        "<p style=\"margin:8px 16px\">GraphQL: <code>POST /graphql</code> &mdash; <a href=\"/graphql/schema\">schema (SDL)</a> (bearer token required)</p>";

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("TaskFlow API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocuments(Documents)
            .AddPreferredSecuritySchemes([OpenApiExtensions.OAuth2Scheme, OpenApiExtensions.BearerScheme])
            .EnablePersistentAuthentication()
            .AddHeaderContent(GraphQLLink));
        return app;
    }
}
