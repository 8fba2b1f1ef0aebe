using System.Text.Json;
using System.Text.Json.Nodes;

namespace TaskFlow.Manifests.Aspire;

/// <summary>What the converter does with a resource, by its manifest <c>type</c>.</summary>
public enum ResourceKind
{
    Project,
    Container,
    Value,
    Parameter,
    AnnotatedString,
    Unsupported,
}

/// <summary>One endpoint of a project or container (<c>bindings.&lt;name&gt;</c>).</summary>
public sealed record AspireBinding(string Name, string Scheme, string Protocol, string Transport, int? TargetPort, bool External);

/// <summary>A named volume of a container resource.</summary>
public sealed record AspireVolume(string Name, string Target, bool ReadOnly);

/// <summary>One entry of <c>resources</c> in the manifest the AppHost writes with <c>--publisher manifest</c>.</summary>
public sealed record AspireResource(string Name, string Type, JsonObject Json)
{
    public ResourceKind Kind => Type switch
    {
        "project.v0" or "project.v1" => ResourceKind.Project,
        "container.v0" or "container.v1" => ResourceKind.Container,
        "value.v0" => ResourceKind.Value,
        "parameter.v0" => ResourceKind.Parameter,
        "annotated.string" => ResourceKind.AnnotatedString,
        _ => ResourceKind.Unsupported,
    };

    public string? ConnectionString => String("connectionString");

    public string? Value => String("value");

    public string? Image => String("image");

    public string? Entrypoint => String("entrypoint");

    public string? Filter => String("filter");

    public IReadOnlyList<string> Args =>
        Json["args"] is JsonArray args ? [.. args.Select(a => a?.ToString() ?? "")] : [];

    /// <summary>Environment in manifest order (the order matters for Kubernetes <c>$(VAR)</c> references).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env =>
        Json["env"] is JsonObject env ? [.. env.Select(e => KeyValuePair.Create(e.Key, e.Value?.ToString() ?? ""))] : [];

    public IReadOnlyList<AspireBinding> Bindings =>
        Json["bindings"] is JsonObject bindings
            ? [.. bindings.Select(b => ReadBinding(b.Key, b.Value as JsonObject ?? []))]
            : [];

    public IReadOnlyList<AspireVolume> Volumes =>
        Json["volumes"] is JsonArray volumes
            ? [.. volumes.OfType<JsonObject>().Select(v => new AspireVolume(
                v["name"]?.ToString() ?? "", v["target"]?.ToString() ?? "", v["readOnly"]?.GetValue<bool>() ?? false))]
            : [];

    public bool HasBindMounts => Json["bindMounts"] is JsonArray { Count: > 0 };

    public bool HasBuild => Json["build"] is not null;

    /// <summary>A parameter's input: whether it is secret, and its default (a literal value or a generate rule).</summary>
    public ParameterInput? Input => Json["inputs"]?["value"] is JsonObject input
        ? new ParameterInput(
            input["secret"]?.GetValue<bool>() ?? false,
            input["default"]?["value"]?.ToString(),
            input["default"]?["generate"] is JsonObject generate
                ? new GenerateRule(generate["minLength"]?.GetValue<int>() ?? 22, generate["special"]?.GetValue<bool>() ?? true)
                : null)
        : null;

    private string? String(string property) => Json[property] is JsonValue value ? value.ToString() : null;

    private static AspireBinding ReadBinding(string name, JsonObject binding) => new(
        name,
        binding["scheme"]?.ToString() ?? "tcp",
        binding["protocol"]?.ToString() ?? "tcp",
        binding["transport"]?.ToString() ?? "tcp",
        binding["targetPort"] is JsonValue port && port.TryGetValue<int>(out var number) ? number : null,
        binding["external"]?.GetValue<bool>() ?? false);
}

public sealed record ParameterInput(bool Secret, string? DefaultValue, GenerateRule? Generate);

/// <summary>Aspire's rule for a generated parameter value (e.g. a password).</summary>
public sealed record GenerateRule(int MinLength, bool Special);

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

/// <summary>A manifest the converter cannot read at all (as opposed to validation errors, which are collected).</summary>
public sealed class ManifestException(string message) : Exception(message);
