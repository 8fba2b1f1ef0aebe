using System.Text.Json.Serialization;
using TaskFlow.Users.Model;

namespace TaskFlow.Users.Apis;

// Request fields are nullable so that a missing field is a validation error naming it (400 with `errors`),
// not a deserialization failure.

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record LogoutRequest(string? RefreshToken);

public sealed record UpdateProfileRequest(string? DisplayName);

public sealed record SetRolesRequest(IReadOnlyList<string?>? Roles);

/// <summary>The full view of an account: for the account itself and for admins.</summary>
public sealed record UserResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.DisplayName, user.Roles, user.CreatedAt);
}

/// <summary>What any signed-in user may see of another account.</summary>
public sealed record PublicUserResponse(Guid Id, string DisplayName)
{
    public static PublicUserResponse From(User user) => new(user.Id, user.DisplayName);
}

/// <summary>The answer of <c>GET /users/batch</c>.</summary>
public sealed record PublicUserBatch(IReadOnlyList<PublicUserResponse> Items);

public sealed record UserPage(IReadOnlyList<UserResponse> Items, string? NextCursor);

/// <summary>Token pair for JSON clients.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

/// <summary>The same token pair with RFC 6749 names, for OAuth2 form clients.</summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken);

public sealed record OpenIdConfiguration(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> ClaimsSupported);

public sealed record JsonWebKeySetResponse([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);

public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string KeyType,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("n")] string Modulus,
    [property: JsonPropertyName("e")] string Exponent);
