namespace TaskFlow.Manifests.Aspire;

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
