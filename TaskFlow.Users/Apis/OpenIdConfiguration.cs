namespace TaskFlow.Users.Apis;

/// <summary>
/// Authorization server metadata (RFC 8414; OpenID Connect Discovery 1.0 names): only what is true of TaskFlow.
/// There is no authorization endpoint and no ID token, so <c>response_types_supported</c> is empty and no
/// <c>id_token_*</c> field appears.
/// </summary>
public sealed record OpenIdConfiguration(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> ClaimsSupported,
    [property: JsonPropertyName("service_documentation")] string ServiceDocumentation);
