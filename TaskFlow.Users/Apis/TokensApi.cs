using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace TaskFlow.Users.Apis;

/// <summary>
/// Sessions: log in (JSON or the OAuth2 password form), refresh (rotating refresh tokens), log out.
/// Bad credentials and bad refresh tokens are 401 problem+json for JSON and form clients alike (API.md), not the
/// RFC 6749 <c>400 invalid_grant</c>.
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
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["grant_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [PasswordGrant, RefreshTokenGrant] },
            ["username"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The email address (password grant)." },
            ["password"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "password" },
            ["refresh_token"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "refresh_token grant." },
        },
    };

    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Sessions");

        users.MapPost("/login", Login)
            .AllowAnonymous()
            .DisableAntiforgery()
            .Accepts<LoginRequest>("application/json", FormContentType)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // One body type per content type: JSON {email, password}, or the RFC 6749 token request form.
                if (operation.RequestBody?.Content?.TryGetValue(FormContentType, out var form) == true)
                {
                    form.Schema = OAuthFormSchema;
                }

                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("Login")
            .WithSummary("Log in and get a token pair")
            .WithDescription("JSON `{email, password}` answers camelCase names; the OAuth2 form (`grant_type=password&username=..&password=..`, " +
                "or `grant_type=refresh_token&refresh_token=..`) answers `access_token`, `token_type`, `expires_in`, `refresh_token`. " +
                "Wrong email and wrong password are the same 401.");

        users.MapPost("/refresh", Refresh)
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("RefreshTokens")
            .WithSummary("Exchange a refresh token for a new token pair")
            .WithDescription("The presented refresh token stops working (rotation). Presenting an already rotated token again revokes the whole session.");

        users.MapPost("/logout", Logout)
            .RequireAuthorization()
            .WithName("Logout")
            .WithSummary("End the session")
            .WithDescription("Revokes the session of the access token and, when given, the session of `refreshToken`; their refresh tokens stop working at once.");

        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, Ok<OAuthTokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
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

    private static async Task<Results<Ok<TokenResponse>, Ok<OAuthTokenResponse>, ValidationProblem, ProblemHttpResult>> LoginWithFormAsync(
        HttpContext context, IFormCollection form, TokenServices services, CancellationToken cancellationToken)
    {
        string grantType = form["grant_type"].ToString();
        TokenResponse? pair;
        switch (grantType)
        {
            case PasswordGrant:
                string username = form["username"].ToString(), password = form["password"].ToString();
                var errors = new ValidationErrors()
                    .Add("username", string.IsNullOrWhiteSpace(username) ? "A username (the email address) is required." : null)
                    .Add("password", string.IsNullOrEmpty(password) ? "A password is required." : null);
                if (!errors.IsEmpty)
                {
                    return Problems.Validation(errors);
                }

                pair = await AuthenticateAsync(username, password, services, cancellationToken);
                if (pair is null)
                {
                    return Problems.InvalidCredentials();
                }

                break;
            case RefreshTokenGrant:
                var refreshToken = form["refresh_token"].ToString();
                if (string.IsNullOrEmpty(refreshToken))
                {
                    return Problems.Validation("refresh_token", "A refresh token is required.");
                }

                pair = await RotateAsync(refreshToken, services, cancellationToken);
                if (pair is null)
                {
                    return Problems.InvalidRefreshToken();
                }

                break;
            default:
                return Problems.Validation("grant_type", $"Supported grant types: {PasswordGrant}, {RefreshTokenGrant}.");
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
