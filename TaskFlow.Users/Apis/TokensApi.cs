using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using LoginResults = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<TaskFlow.Users.Apis.TokenResponse>,
    Microsoft.AspNetCore.Http.HttpResults.Ok<TaskFlow.Users.Apis.OAuthTokenResponse>,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<TaskFlow.Users.Apis.OAuthErrorResponse>>;

namespace TaskFlow.Users.Apis;

/// <summary>
/// Sessions: log in (JSON or the OAuth2 token endpoint's form), refresh (rotating refresh tokens), log out.
/// JSON clients get problem+json (401 for bad credentials); form clients get RFC 6749 errors (<see cref="OAuthErrors"/>).
/// </summary>
public static partial class TokensApi
{
    public const string PasswordGrant = "password";
    public const string RefreshTokenGrant = "refresh_token";
    private const string FormContentType = "application/x-www-form-urlencoded";

    private static readonly OpenApiSchema OAuthFormSchema = new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "grant_type" },
        Description = "An RFC 6749 token request from a public client (no client authentication).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["grant_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [PasswordGrant, RefreshTokenGrant] },
            ["username"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The email address (password grant)." },
            ["password"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "password", Description = "The password (password grant)." },
            ["refresh_token"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The current refresh token (refresh_token grant)." },
            ["client_id"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = $"Optional: a configured public client (`{TokenOptions.DefaultPublicClient}` by default); an unknown one is 401 `invalid_client`.",
            },
        },
    };

    private static readonly OpenApiSchema OAuthErrorSchema = new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "error" },
        Description = "An RFC 6749 section 5.2 error (answers to form requests only).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. OAuthErrors.All.Select(e => (JsonNode)e)] },
            ["error_description"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    /// <summary>One body type per content type: JSON {email, password} or the RFC 6749 form; RFC 6749 errors for the form.</summary>
    private static Task DescribeTokenEndpoint(OpenApiOperation operation)
    {
        if (operation.RequestBody?.Content?.TryGetValue(FormContentType, out var form) == true)
        {
            form.Schema = OAuthFormSchema;
            form.Example = new JsonObject
            {
                ["grant_type"] = PasswordGrant, ["username"] = ApiExamples.Email, ["password"] = ApiExamples.Password,
                ["client_id"] = TokenOptions.DefaultPublicClient,
            };
        }

        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = new JsonObject { ["email"] = ApiExamples.Email, ["password"] = ApiExamples.Password };
        }

        foreach (var (status, description) in new[] { ("400", "invalid_request, invalid_grant (bad credentials, a rotated or unknown refresh token) or unsupported_grant_type"), ("401", "invalid_client") })
        {
            if (operation.Responses?.TryGetValue(status, out var found) == true && found is OpenApiResponse response)
            {
                response.Description = $"{response.Description} JSON requests: problem+json. Form requests: RFC 6749 `{{error, error_description}}` ({description}).".Trim();
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content["application/json"] = new OpenApiMediaType { Schema = OAuthErrorSchema };
            }
        }

        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Sessions");

        users.MapPost("/login", Login)
            .AllowAnonymous()
            .DisableAntiforgery()
            .Accepts<LoginRequest>("application/json", FormContentType)
            .AddOpenApiOperationTransformer((operation, _, _) => DescribeTokenEndpoint(operation))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("Login")
            .WithSummary("Log in and get a token pair")
            .WithDescription("JSON `{email, password}` answers camelCase names; the OAuth2 form (`grant_type=password&username=..&password=..`, " +
                "or `grant_type=refresh_token&refresh_token=..`) answers `access_token`, `token_type`, `expires_in`, `refresh_token`. " +
                "JSON: wrong email and wrong password are the same 401 problem+json. Form (the OAuth2 token endpoint of the discovery document, " +
                "public client `taskflow` or no client_id): RFC 6749 errors, 400 `invalid_grant` for bad credentials or a rotated refresh token, " +
                "`invalid_request`, `unsupported_grant_type`, 401 `invalid_client` for an unknown client_id.");

        users.MapPost("/refresh", Refresh)
            .AllowAnonymous()
            .WithRequestExample(new RefreshRequest(ApiExamples.RefreshToken))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("RefreshTokens")
            .WithSummary("Exchange a refresh token for a new token pair")
            .WithDescription("The presented refresh token stops working (rotation). Presenting an already rotated token again revokes the whole session.");

        users.MapPost("/logout", Logout)
            .RequireAuthorization()
            .WithRequestExample(new LogoutRequest(ApiExamples.RefreshToken))
            .WithName("Logout")
            .WithSummary("End the session")
            .WithDescription("Revokes the session of the access token and, when given, the session of `refreshToken`; their refresh tokens stop working at once.");

        return app;
    }

    public static async Task<LoginResults> Login(
        HttpContext context, [AsParameters] TokenServices services, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return await LoginWithFormAsync(context, form, services, cancellationToken);
        }

        if (!request.HasJsonContentType())
        {
            return RequestProblems.UnsupportedMediaType($"Send application/json or {FormContentType}.");
        }

        LoginRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<LoginRequest>(cancellationToken);
        }
        catch (JsonException)
        {
            return RequestProblems.MalformedBody();
        }

        var errors = UserRules.ValidateLogin(body?.Email, body?.Password);
        if (!errors.IsEmpty || body is not { Email: { } email, Password: { } password })
        {
            return Problems.Validation(errors.IsEmpty ? errors.Add("body", "A JSON object is required.") : errors);
        }

        var pair = await AuthenticateAsync(email, password, services, cancellationToken);
        if (pair is null)
        {
            return Problems.InvalidCredentials();
        }

        NoStore(context);
        return TypedResults.Ok(pair);
    }

    /// <summary>The OAuth2 token endpoint (RFC 6749 sections 4.3 and 6): refusals are RFC 6749 errors, not problem+json.</summary>
    private static async Task<LoginResults> LoginWithFormAsync(
        HttpContext context, IFormCollection form, TokenServices services, CancellationToken cancellationToken)
    {
        if (PublicClientCheck.Refusal(context.Request, form, services.Options.Value) is { } refusal)
        {
            return OAuthErrors.Client(refusal);
        }

        string grantType = form["grant_type"].ToString();
        TokenResponse? pair;
        switch (grantType)
        {
            case PasswordGrant:
                string username = form["username"].ToString(), password = form["password"].ToString();
                if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
                {
                    return OAuthErrors.Request("The password grant needs username (the email address) and password.");
                }

                pair = await AuthenticateAsync(username, password, services, cancellationToken);
                if (pair is null)
                {
                    return OAuthErrors.Grant("The email address or password is incorrect.");
                }

                break;
            case RefreshTokenGrant:
                var refreshToken = form["refresh_token"].ToString();
                if (string.IsNullOrEmpty(refreshToken))
                {
                    return OAuthErrors.Request("The refresh_token grant needs refresh_token.");
                }

                pair = await RotateAsync(refreshToken, services, cancellationToken);
                if (pair is null)
                {
                    return OAuthErrors.Grant("The refresh token is unknown, expired, revoked or already used.");
                }

                break;
            case "":
                return OAuthErrors.Request("grant_type is required.");
            default:
                return OAuthErrors.UnsupportedGrant($"Supported grant types: {PasswordGrant}, {RefreshTokenGrant}.");
        }

        NoStore(context);
        return TypedResults.Ok(new OAuthTokenResponse(pair.AccessToken, pair.TokenType, pair.ExpiresIn, pair.RefreshToken));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, HttpContext context, [AsParameters] TokenServices services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return Problems.Validation("refreshToken", "A refresh token is required.");
        }

        var pair = await RotateAsync(request.RefreshToken, services, cancellationToken);
        if (pair is null)
        {
            return Problems.InvalidRefreshToken();
        }

        NoStore(context);
        return TypedResults.Ok(pair);
    }

    public static async Task<NoContent> Logout(
        [FromBody] LogoutRequest? request, ClaimsPrincipal principal, RefreshTokenStore sessions, ILogger<TokenServices> logger)
    {
        var userId = principal.GetUserId() ?? Guid.Empty;
        if (principal.GetSessionId() is { } sessionId)
        {
            await sessions.RevokeSessionAsync(sessionId);
        }

        // Only the caller's own sessions: holding someone else's refresh token is no reason to log them out here.
        if (request?.RefreshToken is { Length: > 0 } refreshToken && await sessions.FindSessionAsync(refreshToken) is { } session && session.UserId == userId)
        {
            await sessions.RevokeSessionAsync(session.SessionId);
        }

        LogLoggedOut(logger, userId);
        return TypedResults.NoContent();
    }

    /// <summary>Same answer and comparable time for an unknown email and a wrong password.</summary>
    private static async Task<TokenResponse?> AuthenticateAsync(string email, string password, TokenServices services, CancellationToken cancellationToken)
    {
        email = EmailAddress.Normalize(email);
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null)
        {
            await services.Passwords.VerifyUnknownUserAsync(password, cancellationToken);
            LogLoginFailed(services.Logger);
            return null;
        }

        var check = await services.Passwords.VerifyAsync(user.PasswordHash, password, cancellationToken);
        if (check == PasswordCheck.Failed)
        {
            LogLoginFailed(services.Logger);
            return null;
        }

        if (check == PasswordCheck.SucceededRehashNeeded)
        {
            // The work factor was raised since this hash was made: upgrade it while the password is at hand.
            user.ChangePasswordHash(await services.Passwords.HashAsync(password, cancellationToken), services.Time.GetUtcNow());
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        var session = await services.Sessions.StartSessionAsync(user.Id);
        LogLoggedIn(services.Logger, user.Id, session.SessionId);
        return Pair(services.Tokens.Issue(user, session.SessionId), session);
    }

    private static async Task<TokenResponse?> RotateAsync(string refreshToken, TokenServices services, CancellationToken cancellationToken)
    {
        var result = await services.Sessions.RotateAsync(refreshToken);
        if (result is not { Outcome: RefreshOutcome.Rotated, Next: { } next })
        {
            return null;
        }

        // Roles or the display name may have changed since the last token: read them afresh.
        var user = await services.Db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == result.UserId, cancellationToken);
        if (user is null)
        {
            await services.Sessions.RevokeSessionAsync(next.SessionId);
            return null;
        }

        return Pair(services.Tokens.Issue(user, next.SessionId), next);
    }

    private static TokenResponse Pair(AccessToken access, IssuedRefreshToken refresh) =>
        new(access.Value, "Bearer", (int)access.Lifetime.TotalSeconds, refresh.Token);

    private static void NoStore(HttpContext context)
    {
        // RFC 6749 5.1: responses carrying tokens must not be cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers[HeaderNames.Pragma] = "no-cache";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged in, session {SessionId}")]
    private static partial void LogLoggedIn(ILogger logger, Guid userId, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Login failed: unknown email or wrong password")]
    private static partial void LogLoginFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged out")]
    private static partial void LogLoggedOut(ILogger logger, Guid userId);
}
