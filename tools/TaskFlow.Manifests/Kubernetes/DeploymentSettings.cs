namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// What the Aspire manifest does not say about a cluster deployment (deploy/k8s.settings.json): images, replicas,
/// resources, storage sizes, which secrets are files, the ingress.
/// </summary>
public sealed record DeploymentSettings
{
    public const string ProjectDefaults = "project";
    public const string ContainerDefaults = "container";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public string Namespace { get; init; } = "taskflow";

    /// <summary>Project images are <c>{ImagePrefix}/{resource}:{ImageTag}</c>, e.g. <c>taskflow/users:latest</c>.</summary>
    public string ImagePrefix { get; init; } = "taskflow";

    /// <summary>A version (the images' tag from deploy/publish-images.sh); never <c>latest</c>, which cannot be pinned or rolled back.</summary>
    public string ImageTag { get; init; } = "1.0.0";

    /// <summary>The manifest has no replica count (<c>WithReplicas</c> is run-mode only): given here, 1 otherwise.</summary>
    public Dictionary<string, int> Replicas { get; init; } = [];

    /// <summary>
    /// Services that call addresses outside the cluster (the webhook deliveries to users' receivers): their egress
    /// allows public addresses, never the cluster's or the cloud's private, link-local and metadata ranges.
    /// </summary>
    public List<string> PublicEgress { get; init; } = [];

    /// <summary>Values of non-secret parameters that have no default in the AppHost.</summary>
    public Dictionary<string, string> Parameters { get; init; } = [];

    /// <summary>Secrets too long or multi-line for secrets.env (PEM keys): read from their own git-ignored file.</summary>
    public Dictionary<string, SecretFile> SecretFiles { get; init; } = [];

    /// <summary>
    /// Secret env a service gets beyond the manifest's, by service then variable: the Secret key. The JWT rotation slot
    /// (<c>Users__Tokens__PreviousSigningKeys__0</c>) lives here, since the AppHost declares it only when it is set.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> SecretEnv { get; init; } = [];

    /// <summary>Requests and limits by resource name, falling back to "project" or "container".</summary>
    public Dictionary<string, ResourceLimits> Resources { get; init; } = [];

    /// <summary>Size of each volume's claim by volume name; <see cref="DefaultStorage"/> otherwise.</summary>
    public Dictionary<string, string> Storage { get; init; } = [];

    public string DefaultStorage { get; init; } = "1Gi";

    public IngressSettings Ingress { get; init; } = new();

    /// <summary>Where the gateway trusts X-Forwarded-For from (the ingress controller); nobody when empty.</summary>
    public ForwardingSettings Forwarding { get; init; } = new();

    /// <summary>HorizontalPodAutoscaler bounds for every stateless service.</summary>
    public AutoscalingSettings Autoscaling { get; init; } = new();

    /// <summary>Credentials the generator adds where the AppHost's container has none (MongoDB).</summary>
    public MongoSettings Mongo { get; init; } = new();

    /// <summary>deploy/k8s/overlays/&lt;name&gt;: replicas, ingress and forwarding per environment.</summary>
    public Dictionary<string, OverlaySettings> Overlays { get; init; } = [];

    public ResourceLimits LimitsFor(string resource, bool isProject) =>
        Resources.GetValueOrDefault(resource)
        ?? Resources.GetValueOrDefault(isProject ? ProjectDefaults : ContainerDefaults)
        ?? (isProject
            ? new ResourceLimits(new("100m", "128Mi"), new("1", "512Mi"))
            : new ResourceLimits(new("100m", "256Mi"), new("1", "1Gi")));

    public static DeploymentSettings Load(string path) =>
        JsonSerializer.Deserialize<DeploymentSettings>(File.ReadAllText(path), Json)
        ?? throw new InvalidOperationException($"{path} is empty.");
}
