using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace TaskFlow.ServiceDefaults.OpenApi;

/// <summary>
/// Puts the endpoints' <see cref="OpenApiExampleMetadata"/> into the document, so that every parameter and request
/// body has an example and requests generated from the document (Portman, SDK samples, "Try it") are well-formed.
/// </summary>
public sealed class OpenApiExampleTransformer : IOpenApiDocumentTransformer
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            var path = GatewayContractTransformer.DocumentPath(description.RelativePath);
            if (document.Paths?.TryGetValue(path, out var pathItem) != true || pathItem?.Operations is null ||
                description.HttpMethod is null || !pathItem.Operations.TryGetValue(new HttpMethod(description.HttpMethod), out var operation))
            {
                continue;
            }

            foreach (var example in description.ActionDescriptor.EndpointMetadata.OfType<OpenApiExampleMetadata>())
            {
                var node = JsonSerializer.SerializeToNode(example.Example, example.Example.GetType(), Web);
                if (example.ParameterName is { } name)
                {
                    if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name) is { } parameter)
                    {
                        parameter.Example = node;
                        parameter.Required |= example.Required;
                    }
                }
                else if (operation.RequestBody?.Content?.TryGetValue(example.ContentType, out var media) == true)
                {
                    media.Example = node;
                }
            }
        }

        return Task.CompletedTask;
    }
}
