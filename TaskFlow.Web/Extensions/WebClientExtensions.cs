using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TaskFlow.Web.Infrastructure;

namespace TaskFlow.Web.Extensions;

/// <summary>
/// Serves the single-page client: <c>GET /</c> (index.html, revalidated) and the content-versioned assets under
/// <c>/assets/{version}/</c> (immutable). The client talks only to the gateway's public API, on the same origin,
/// because the gateway serves this host at <c>/</c>.
/// </summary>
public static class WebClientExtensions
{
    /// <summary>
    /// Scripts and styles from this origin only, no inline code, API calls to this origin only. The gateway sends the
    /// same policy for the client's routes; this host states it too, so a direct request gets it as well.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private const string ImmutableCaching = "public, max-age=31536000, immutable";

    public static IHostApplicationBuilder AddWebClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ClientAssets.Load(sp.GetRequiredService<IWebHostEnvironment>().WebRootPath));
        return builder;
    }

    public static WebApplication MapWebClient(this WebApplication app)
    {
        var assets = app.Services.GetRequiredService<ClientAssets>();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = assets.CreateFileProvider(),
            RequestPath = assets.BasePath,
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = ImmutableCaching,
        });

        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], ServeIndex)
            .WithName("WebClient")
            .WithSummary("The TaskFlow web client");
        return app;
    }

    private static Results<ContentHttpResult, StatusCodeHttpResult> ServeIndex(HttpContext context, ClientAssets assets)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = assets.IndexETag;
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag == assets.IndexETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Content(assets.IndexHtml, "text/html; charset=utf-8");
    }
}
