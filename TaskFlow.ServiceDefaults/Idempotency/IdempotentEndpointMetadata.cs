namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>Marks an endpoint that honours <c>Idempotency-Key</c>; read by the body buffering and the OpenAPI transformer.</summary>
public sealed record IdempotentEndpointMetadata(IdempotencyScope Scope);
