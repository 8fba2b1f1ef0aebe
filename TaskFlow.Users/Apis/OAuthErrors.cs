namespace TaskFlow.Users.Apis;

/// <summary>
/// The RFC 6749 (section 5.2) answers of the token endpoint to form requests: <c>application/json</c>
/// <c>{error, error_description}</c>, the body generic OAuth2 clients parse (a problem+json body they would not read).
/// 400, except 401 for <c>invalid_client</c>; no <c>WWW-Authenticate</c>, since a public client never authenticates.
/// </summary>
internal static class OAuthErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";

    public static readonly string[] All = [InvalidRequest, InvalidClient, InvalidGrant, UnsupportedGrantType];

    public static JsonHttpResult<OAuthErrorResponse> Request(string description) => Error(InvalidRequest, description);

    public static JsonHttpResult<OAuthErrorResponse> Client(string description) =>
        Error(InvalidClient, description, StatusCodes.Status401Unauthorized);

    public static JsonHttpResult<OAuthErrorResponse> Grant(string description) => Error(InvalidGrant, description);

    public static JsonHttpResult<OAuthErrorResponse> UnsupportedGrant(string description) => Error(UnsupportedGrantType, description);

    private static JsonHttpResult<OAuthErrorResponse> Error(string code, string description, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new OAuthErrorResponse(code, description), statusCode: status, contentType: "application/json");
}
