using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskFlow.ServiceDefaults.Paging;
using TaskFlow.ServiceDefaults.Requests;

namespace TaskFlow.Webhooks.Apis;

using CreateResult = Results<Created<CreatedWebhookView>, ValidationProblem, ProblemHttpResult, UnauthorizedHttpResult>;
using DeliveriesResult = Results<Ok<Page<DeliveryView>>, NotFound, ValidationProblem, UnauthorizedHttpResult>;
using ListResult = Results<Ok<Page<WebhookView>>, ValidationProblem, UnauthorizedHttpResult>;

/// <summary>
/// API.md "Webhooks": the caller's subscriptions, their deliveries, redelivery and secret rotation. Every route needs
/// a bearer token; a subscription is the caller's own or a 404.
/// </summary>
public static class WebhooksApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>API.md: a body over 1 MiB is a 413.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/webhooks")
            .RequireAuthorization()
            .WithTags("Webhooks")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        // No Idempotency-Key here: a replay store would keep the secret that only this answer may show.
        api.MapPost("/", CreateAsync)
            .WithName("CreateWebhook")
            .WithSummary("Subscribe a URL to task events")
            .WithDescription(WebhookDocs.CreateDescription)
            .WithRequestExample(WebhookDocs.CreateExample)
            .Accepts<WebhookDocs.CreateWebhookBody>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("/", ListAsync)
            .WithName("ListWebhooks")
            .WithParameterExample("limit", "20")
            .WithParameterExample("cursor", WebhookDocs.ExampleCursor)
            .WithSummary("List the caller's webhooks")
            .WithDescription("Newest first, the caller's own only; `limit` 1–100 (default 20); pass `nextCursor` back as `cursor`. Secrets are never listed.");

        api.MapGet("/{id:guid}", GetAsync)
            .WithName("GetWebhook")
            .WithParameterExample("id", WebhookDocs.ExampleWebhookId)
            .WithSummary("Get a webhook")
            .WithDescription("Without its secret; 404 for anyone but its owner.");

        api.MapDelete("/{id:guid}", DeleteAsync)
            .WithName("DeleteWebhook")
            .WithParameterExample("id", WebhookDocs.ExampleWebhookId)
            .WithSummary("Delete a webhook")
            .WithDescription("Nothing more is delivered to it; its delivery history goes with it.");

        api.MapGet("/{id:guid}/deliveries", DeliveriesAsync)
            .WithName("ListWebhookDeliveries")
            .WithParameterExample("id", WebhookDocs.ExampleWebhookId)
            .WithParameterExample("limit", "20")
            .WithParameterExample("cursor", WebhookDocs.ExampleCursor)
            .WithSummary("List a webhook's deliveries")
            .WithDescription("Newest first: per event, its status (pending, succeeded, failed), attempts so far and the last HTTP status received.");

        api.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverAsync)
            .WithIdempotency()
            .WithName("RedeliverWebhookDelivery")
            .WithParameterExample("id", WebhookDocs.ExampleWebhookId)
            .WithParameterExample("deliveryId", WebhookDocs.ExampleDeliveryId)
            .WithSummary("Deliver an event again")
            .WithDescription("202: the same body with the same `webhook-id` is sent again, as a new round of attempts. 409 when the webhook was disabled.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id:guid}/rotate-secret", RotateSecretAsync)
            .WithName("RotateWebhookSecret")
            .WithParameterExample("id", WebhookDocs.ExampleWebhookId)
            .WithSummary("Replace the signing secret")
            .WithDescription("Returns the new secret (shown only here). For 24 hours deliveries carry two signatures, new and old, space-separated in `webhook-signature`, so a receiver switches with no downtime.");

        return app;
    }

    public sealed record PageQuery(
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor);

    public static async Task<CreateResult> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, WebhookCommands commands, DestinationPolicy destinations, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        var body = await JsonBodyReader.ReadAsync(request, WebhookInput.Parse, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (body.Value is not { } input)
        {
            return body.ValidationProblem();
        }

        if (await destinations.RefusalAsync(input.Url, cancellationToken) is { } refusal)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [refusal] });
        }

        if (await commands.CreateAsync(userId, input, cancellationToken) is not { } created)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Too many webhooks",
                detail: $"A user has at most {options.Value.MaxWebhooksPerUser} webhooks; delete one to create another.");
        }

        return TypedResults.Created($"/webhooks/{created.Id}", created);
    }

    public static async Task<ListResult> ListAsync([AsParameters] PageQuery query, ClaimsPrincipal user, WebhookReads reads, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        if (!TryReadPage(query, out var limit, out var cursor, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await reads.ListAsync(userId, limit, cursor, cancellationToken));
    }

    public static async Task<Results<Ok<WebhookView>, NotFound, UnauthorizedHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, WebhookReads reads, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        return await reads.GetAsync(userId, id, cancellationToken) is { } webhook ? TypedResults.Ok(webhook) : TypedResults.NotFound();
    }

    public static async Task<Results<NoContent, NotFound, UnauthorizedHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, WebhookCommands commands, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        return await commands.DeleteAsync(userId, id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    public static async Task<DeliveriesResult> DeliveriesAsync(
        Guid id, [AsParameters] PageQuery query, ClaimsPrincipal user, WebhookReads reads, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        if (!TryReadPage(query, out var limit, out var cursor, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await reads.DeliveriesAsync(userId, id, limit, cursor, cancellationToken) is { } page ? TypedResults.Ok(page) : TypedResults.NotFound();
    }

    public static async Task<Results<Accepted, NotFound, ProblemHttpResult, UnauthorizedHttpResult>> RedeliverAsync(
        Guid id, Guid deliveryId, ClaimsPrincipal user, WebhookCommands commands, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        return await commands.RedeliverAsync(userId, id, deliveryId, cancellationToken) switch
        {
            RedeliveryOutcome.Scheduled => TypedResults.Accepted((string?)null),
            RedeliveryOutcome.Disabled => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "The webhook is disabled", detail: "A disabled webhook delivers nothing; create a new one."),
            _ => TypedResults.NotFound(),
        };
    }

    public static async Task<Results<Ok<SecretView>, NotFound, UnauthorizedHttpResult>> RotateSecretAsync(
        Guid id, ClaimsPrincipal user, WebhookCommands commands, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        return await commands.RotateSecretAsync(userId, id, cancellationToken) is { } secret ? TypedResults.Ok(new SecretView(secret)) : TypedResults.NotFound();
    }

    private static bool TryReadPage(PageQuery query, out int limit, out TimeOrderedCursor? cursor, out Dictionary<string, string[]> errors)
    {
        errors = [];
        limit = DefaultLimit;
        cursor = null;
        if (query.Limit is not null &&
            (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be an integer from 1 to {MaxLimit}."];
        }

        if (query.Cursor is not null)
        {
            if (TimeOrderedCursor.TryDecode(query.Cursor, out var decoded))
            {
                cursor = decoded;
            }
            else
            {
                errors["cursor"] = ["Not a cursor returned by this API."];
            }
        }

        return errors.Count == 0;
    }
}
