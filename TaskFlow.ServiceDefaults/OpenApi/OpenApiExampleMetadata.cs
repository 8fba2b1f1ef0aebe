namespace TaskFlow.ServiceDefaults.OpenApi;

/// <summary>
/// An example for the OpenAPI document: of the parameter <see cref="ParameterName"/>, or (when it is null) of the
/// request body in <see cref="ContentType"/>. Serialized with the API's JSON options (camelCase). <see cref="Required"/>
/// marks a parameter the handler reads as optional (to answer its absence with a validation problem) as required in
/// the document, which is the truth: the request is a 400 without it.
/// </summary>
public sealed record OpenApiExampleMetadata(string? ParameterName, string ContentType, object Example, bool Required = false);
