using System.Text.Json;

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

    public string ImageTag { get; init; } = "latest";

    /// <summary>The manifest has no replica count (<c>WithReplicas</c> is run-mode only): given here, 1 otherwise.</summary>
    public Dictionary<string, int> Replicas { get; init; } = [];

    /// <summary>Values of non-secret parameters that have no default in the AppHost.</summary>
    public Dictionary<string, string> Parameters { get; init; } = [];

    /// <summary>Secrets too long or multi-line for secrets.env (PEM keys): read from their own git-ignored file.</summary>
    public Dictionary<string, SecretFile> SecretFiles { get; init; } = [];

    /// <summary>Requests and limits by resource name, falling back to "project" or "container".</summary>
    public Dictionary<string, ResourceLimits> Resources { get; init; } = [];

    /// <summary>Size of each volume's claim by volume name; <see cref="DefaultStorage"/> otherwise.</summary>
    public Dictionary<string, string> Storage { get; init; } = [];

    public string DefaultStorage { get; init; } = "1Gi";

    public IngressSettings Ingress { get; init; } = new();

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

public sealed record SecretFile(string File, string? Generate = null)
{
    /// <summary>The one generator known to <c>secrets</c>: a fresh RSA key as a PKCS#8 PEM.</summary>
    public const string RsaPrivateKeyPem = "rsa-2048-pem";
}

public sealed record ResourceQuantities(string Cpu, string Memory);

public sealed record ResourceLimits(ResourceQuantities Requests, ResourceQuantities Limits);

public sealed record IngressSettings
{
    /// <summary>Host the external endpoints answer on; every host when empty.</summary>
    public string? Host { get; init; }

    public string? ClassName { get; init; }
}
