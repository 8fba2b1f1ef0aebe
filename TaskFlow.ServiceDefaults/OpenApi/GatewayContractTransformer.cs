using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace TaskFlow.ServiceDefaults.OpenApi;

/// <summary>
/// Makes each service's document describe what clients get through the gateway (API.md), once for every service:
/// the rate-limit headers on every response and the 429/503 answers of the gateway, 401 with its challenge on
/// protected operations, <c>Idempotency-Key</c> on idempotent writes, <c>Location</c>/<c>ETag</c> where sent, one
/// schema per alternative body where an endpoint answers one status with different types (login: JSON vs. form),
/// and a description on every operation.
/// </summary>
public sealed partial class GatewayContractTransformer : IOpenApiDocumentTransformer
{
    public const string ProblemContentType = "application/problem+json";
    private const string ProblemSchemaName = "ProblemDetails";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        await EnsureSchemaAsync(document, context, typeof(ProblemDetails), ProblemSchemaName, cancellationToken);
        AddSharedHeaders(document);

        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            var path = DocumentPath(description.RelativePath);
            if (document.Paths?.TryGetValue(path, out var pathItem) != true || pathItem?.Operations is null ||
                description.HttpMethod is null || !pathItem.Operations.TryGetValue(new HttpMethod(description.HttpMethod), out var operation))
            {
                continue;
            }

            var metadata = description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= [];
            if (string.IsNullOrWhiteSpace(operation.Description))
            {
                operation.Description = operation.Summary;
            }

            await DescribeAlternativeBodiesAsync(operation, metadata, document, context, cancellationToken);
            DescribeResponseHeaders(operation, metadata);
            var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
            if (anonymous)
            {
                operation.Security = [];
            }
            else
            {
                AddProblem(operation, document, StatusCodes.Status401Unauthorized, "Missing, invalid, expired or revoked access token.",
                    ("WWW-Authenticate", "The `Bearer` challenge (RFC 6750).", true));
                if (await RequiresRoleAsync(metadata, context.ApplicationServices))
                {
                    AddProblem(operation, document, StatusCodes.Status403Forbidden, "The caller lacks the role this operation requires.");
                }
            }

            if (metadata.OfType<IdempotentEndpointMetadata>().LastOrDefault() is { } idempotent)
            {
                DescribeIdempotency(operation, idempotent, document);
            }

            AddProblem(operation, document, StatusCodes.Status429TooManyRequests,
                "Rate limited at the gateway; `Retry-After` says how many seconds until a retry succeeds.",
                ("Retry-After", "Whole seconds until the next request is allowed (never 0).", true));
            AddProblem(operation, document, StatusCodes.Status503ServiceUnavailable,
                "The service has no healthy replica (or, for a request with an Idempotency-Key, the idempotency store is unreachable); retry after `Retry-After` seconds.",
                ("Retry-After", "Whole seconds to wait before retrying.", true));

            foreach (var (status, response) in operation.Responses.Select(r => (r.Key, r.Value as OpenApiResponse)))
            {
                if (response is null)
                {
                    continue;
                }

                // Every error is problem+json (ServiceDefaults' ProblemDetails and status-code pages), bodiless results included.
                if (status.Length == 3 && status[0] is '4' or '5' && (response.Content is null || response.Content.Count == 0))
                {
                    response.Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ProblemContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchemaName, document) },
                    };
                }

                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers.TryAdd("RateLimit-Policy", new OpenApiHeaderReference("RateLimit-Policy", document));
                response.Headers.TryAdd("RateLimit", new OpenApiHeaderReference("RateLimit", document));
            }
        }
    }

    /// <summary>The document's path of a route: <c>users/{id:guid}/roles</c> → <c>/users/{id}/roles</c>, <c>tasks/</c> → <c>/tasks</c>.</summary>
    public static string DocumentPath(string? relativePath) =>
        "/" + RouteParameter().Replace((relativePath ?? "").Split('?')[0].Trim('/'), "{$1}");

    [GeneratedRegex(@"\{\*{0,2}([^{}:=?]+)[^{}]*\}")]
    private static partial Regex RouteParameter();

    private static void AddSharedHeaders(OpenApiDocument document)
    {
        document.Components!.Headers ??= new Dictionary<string, IOpenApiHeader>();
        document.Components.Headers["RateLimit-Policy"] = new OpenApiHeader
        {
            Description = "The quota policy that applies (draft-ietf-httpapi-ratelimit-headers), e.g. `\"login\";q=10;w=60`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        document.Components.Headers["RateLimit"] = new OpenApiHeader
        {
            Description = "What is left of the quota: `r` requests remaining, `t` seconds until the quota resets (or, for a token bucket, until the next request is allowed), e.g. `\"login\";r=7;t=41`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
    }

    private static async Task<bool> RequiresRoleAsync(IList<object> metadata, IServiceProvider services)
    {
        var policies = services.GetService(typeof(IAuthorizationPolicyProvider)) as IAuthorizationPolicyProvider;
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            if (!string.IsNullOrEmpty(data.Roles))
            {
                return true;
            }

            if (data.Policy is { Length: > 0 } name && policies is not null &&
                await policies.GetPolicyAsync(name) is { } policy && policy.Requirements.OfType<RolesAuthorizationRequirement>().Any())
            {
                return true;
            }
        }

        return false;
    }

    private static void DescribeIdempotency(OpenApiOperation operation, IdempotentEndpointMetadata idempotent, OpenApiDocument document)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyRequest.KeyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes the request safe to retry (draft-ietf-httpapi-idempotency-key-header): the same key with the same body returns the first response again " +
                $"with `Idempotent-Replayed: true`. Keys are kept 24 hours, per {(idempotent.Scope == IdempotencyScope.User ? "user" : "client IP")}.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyRequest.MaxKeyLength, Pattern = "^[\\x20-\\x7E]+$" },
            Example = JsonValue.Create("0b8f3c52-6d1e-4a7b-9c2d-5e4f3a2b1c0d"),
        });

        AddProblem(operation, document, StatusCodes.Status400BadRequest, "Invalid request (including an Idempotency-Key that is not 1–255 printable ASCII characters).");
        AddProblem(operation, document, StatusCodes.Status409Conflict, "Conflict (including: a request with this Idempotency-Key is still in progress).");
        AddProblem(operation, document, StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was already used for a different request.");

        // Every answer the filter stores can come back as a replay.
        foreach (var (status, response) in operation.Responses!)
        {
            if (int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var code) && IdempotencyFilter.IsFinal(code) && response is OpenApiResponse stored)
            {
                stored.Headers ??= new Dictionary<string, IOpenApiHeader>();
                stored.Headers[IdempotencyRequest.ReplayedHeader] = new OpenApiHeader
                {
                    Description = "`true` when this is the stored response of an earlier request with the same Idempotency-Key.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
                };
            }
        }
    }

    private static void DescribeResponseHeaders(OpenApiOperation operation, IList<object> metadata)
    {
        var headers = metadata.OfType<ResponseHeaderMetadata>()
            .Select(h => (h.StatusCode, h.Name, h.Description))
            // TypedResults.Created always sends the new resource's address.
            .Concat(operation.Responses!.ContainsKey("201") ? [(StatusCodes.Status201Created, "Location", "The address of the created resource.")] : []);
        foreach (var (statusCode, name, description) in headers)
        {
            if (!operation.Responses!.TryGetValue(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found))
            {
                found = new OpenApiResponse { Description = ReasonPhrase(statusCode) };
                operation.Responses[statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = found;
            }

            if (found is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[name] = new OpenApiHeader { Description = description, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }
    }

    /// <summary>
    /// One status answered with different body types (login: JSON vs. OAuth2 form names; a full vs. a public user view):
    /// <c>anyOf</c> them — not <c>oneOf</c>, since a richer view may also satisfy a sparser one's schema.
    /// </summary>
    private static async Task DescribeAlternativeBodiesAsync(
        OpenApiOperation operation, IList<object> metadata, OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var alternatives = metadata.OfType<IProducesResponseTypeMetadata>()
            .Where(p => p.Type is not null && p.Type != typeof(void) && !typeof(IResult).IsAssignableFrom(p.Type))
            .GroupBy(p => p.StatusCode)
            .Where(g => g.Select(p => p.Type).Distinct().Count() > 1);
        foreach (var group in alternatives)
        {
            if (!operation.Responses!.TryGetValue(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found) ||
                found is not OpenApiResponse { Content: { } content })
            {
                continue;
            }

            var options = new List<IOpenApiSchema>();
            foreach (var type in group.Select(p => p.Type!).Distinct())
            {
                options.Add(await EnsureSchemaAsync(document, context, type, type.Name, cancellationToken));
            }

            foreach (var media in content.Values)
            {
                media.Schema = new OpenApiSchema { AnyOf = options };
            }
        }
    }

    private static async Task<IOpenApiSchema> EnsureSchemaAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, Type type, string name, CancellationToken cancellationToken)
    {
        if (!document.Components!.Schemas!.ContainsKey(name))
        {
            document.Components.Schemas[name] = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        }

        return new OpenApiSchemaReference(name, document);
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int statusCode, string description,
        params (string Name, string Description, bool Required)[] headers)
    {
        var key = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.TryGetValue(key, out var found))
        {
            found = new OpenApiResponse { Description = description };
            operation.Responses[key] = found;
        }

        if (found is not OpenApiResponse response)
        {
            return;
        }

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content.TryAdd(ProblemContentType, new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchemaName, document) });
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, headerDescription, required) in headers)
        {
            response.Headers[name] = new OpenApiHeader { Description = headerDescription, Required = required, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }

    private static string ReasonPhrase(int statusCode) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(statusCode) is { Length: > 0 } phrase ? phrase : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
