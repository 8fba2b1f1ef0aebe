namespace TaskFlow.Graph.Model;

/// <summary>The <c>extensions.code</c> values of GraphQL errors (API.md "GraphQL"), and how REST statuses map to them.</summary>
public static class GraphErrorCodes
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string PreconditionFailed = "PRECONDITION_FAILED";
    public const string Conflict = "CONFLICT";
    public const string RateLimited = "RATE_LIMITED";
    /// <summary>A service is down, overloaded or timed out (REST 502/503/504, or no answer); try again shortly.</summary>
    public const string Unavailable = "UNAVAILABLE";
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";

    /// <summary>The code for a REST error status; anything unexpected is the service's fault, not the caller's.</summary>
    public static string FromStatus(int status) => status switch
    {
        400 or 413 or 415 or 422 => BadUserInput,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        409 => Conflict,
        412 => PreconditionFailed,
        429 => RateLimited,
        503 or 502 or 504 => Unavailable,
        _ => InternalServerError,
    };
}
