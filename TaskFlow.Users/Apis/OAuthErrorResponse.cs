namespace TaskFlow.Users.Apis;

/// <summary>An RFC 6749 section 5.2 error: how the token endpoint refuses an OAuth2 form request.</summary>
public sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
