namespace TaskFlow.ServiceDefaults.OpenApi;

/// <summary>An endpoint sends <see cref="Name"/> on responses with <see cref="StatusCode"/> (documented by <see cref="GatewayContractTransformer"/>).</summary>
public sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description);
