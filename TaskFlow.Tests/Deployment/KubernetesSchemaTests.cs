using k8s;
using TaskFlow.Manifests.Yaml;

namespace TaskFlow.Tests.Deployment;

/// <summary>
/// Every object of both rendered overlays, read strictly into the Kubernetes API's typed models (KubernetesClient,
/// generated from the API's OpenAPI schema): an unknown field, a misspelt one, a wrong type or an unknown
/// apiVersion/kind fails, as the API server would reject it.
/// </summary>
[Trait("Category", "Deployment")]
public sealed class KubernetesSchemaTests(RenderedOverlaysFixture fixture) : IClassFixture<RenderedOverlaysFixture>
{
    public static TheoryData<string> Overlays => [.. RenderedOverlaysFixture.OverlayNames];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_rendered_object_matches_the_kubernetes_api_schema(string overlay)
    {
        var documents = Documents(fixture.Yaml[overlay]);
        Assert.Equal(fixture.Objects[overlay].Count, documents.Count);
        Assert.All(documents, document =>
        {
            var typed = Assert.Single(KubernetesYaml.LoadAllFromString(document, null, strict: true));
            var (apiVersion, kind) = TypeOf(typed);
            Assert.Contains($"kind: {kind}", document, StringComparison.Ordinal);
            Assert.Contains($"apiVersion: {apiVersion}", document, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("replica: 2", "a misspelt field")]
    [InlineData("replicas: two", "a string where the schema has an integer")]
    [InlineData("replicas: 2\n  serviceAccount: {}", "a field the object does not have")]
    public void The_strict_reading_rejects_what_the_api_server_would(string spec, string what)
    {
        var yaml = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              {spec}
              selector:
                matchLabels:
                  app: api
              template:
                metadata:
                  labels:
                    app: api
                spec:
                  containers:
                    - name: api
                      image: example/api:1.0.0
            """;

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, null, strict: true));
        // The same object without the mistake reads, so the failure above is the mistake's.
        Assert.Single(KubernetesYaml.LoadAllFromString(yaml.Replace(spec, "replicas: 2", StringComparison.Ordinal), null, strict: true));
        Assert.NotEmpty(what);
    }

    [Fact]
    public void An_unknown_kind_is_rejected()
    {
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString("apiVersion: apps/v1\nkind: Deployments\nmetadata:\n  name: x\n", null, strict: true));
    }

    /// <summary>The rendered stream split into its documents, each parsed once by the YAML reader to be sure it is one.</summary>
    private static List<string> Documents(string yaml)
    {
        var documents = yaml.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries).Select(d => d.Trim('\n') + "\n").ToList();
        Assert.All(documents, d => Assert.Single(YamlReader.ReadDocuments(d)));
        return documents;
    }

    private static (string ApiVersion, string Kind) TypeOf(object typed)
    {
        var metadata = Assert.IsAssignableFrom<k8s.IKubernetesObject>(typed);
        return (metadata.ApiVersion, metadata.Kind);
    }
}
