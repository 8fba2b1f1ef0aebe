namespace TaskFlow.Users.Apis;

public sealed record JsonWebKeySetResponse([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);
