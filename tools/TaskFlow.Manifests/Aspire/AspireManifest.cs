namespace TaskFlow.Manifests.Aspire;

/// <summary>The parsed manifest: resources by name, in the order the AppHost declared them.</summary>
public sealed class AspireManifest
{
    private readonly Dictionary<string, AspireResource> _byName;

    private AspireManifest(IReadOnlyList<AspireResource> resources)
    {
        Resources = resources;
        _byName = resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<AspireResource> Resources { get; }

    public AspireResource? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerable<AspireResource> OfKind(ResourceKind kind) => Resources.Where(r => r.Kind == kind);

    public static AspireManifest Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ManifestException($"The Aspire manifest is not valid JSON: {e.Message}");
        }

        if (root?["resources"] is not JsonObject resources)
        {
            throw new ManifestException("The Aspire manifest has no \"resources\" object.");
        }

        return new AspireManifest([.. resources.Select(r => new AspireResource(
            r.Key,
            r.Value?["type"]?.ToString() ?? throw new ManifestException($"Resource '{r.Key}' has no type."),
            r.Value as JsonObject ?? throw new ManifestException($"Resource '{r.Key}' is not an object.")))]);
    }
}
