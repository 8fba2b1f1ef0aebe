namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// A container's env list. A value that is exactly one secret or parameter becomes a <c>valueFrom</c> reference;
/// a value that mixes text and secrets (a connection string with a password) refers to helper variables, defined
/// first, through Kubernetes' <c>$(NAME)</c> expansion — so a secret never becomes literal text.
/// </summary>
public sealed class EnvironmentBuilder(string secretName, string parametersConfigMap)
{
    private readonly List<JsonObject> _helpers = [];
    private readonly HashSet<string> _helperNames = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _entries = [];

    /// <summary>Env entries left out (with the reason), for the file's header.</summary>
    public List<string> Omitted { get; } = [];

    public IEnumerable<string> Names => _helpers.Concat(_entries).Select(e => e["name"]!.GetValue<string>());

    public void Add(string name, ResolvedValue value)
    {
        if (value.IsOmitted)
        {
            Omitted.Add($"{name}: {value.OmittedBecause}");
            return;
        }

        _entries.Add(value.Parts switch
        {
            [SecretPart secret] => new JsonObject { ["name"] = name, ["valueFrom"] = SecretReference(secret.Key) },
            [ParameterPart parameter] => new JsonObject { ["name"] = name, ["valueFrom"] = ParameterReference(parameter.Key) },
            _ => new JsonObject { ["name"] = name, ["value"] = Expand(value) },
        });
    }

    /// <summary>Text for a field Kubernetes expands (env values, command, args): references become <c>$(HELPER)</c>.</summary>
    public string Expand(ResolvedValue value)
    {
        var text = new StringBuilder();
        foreach (var part in value.Parts)
        {
            text.Append(part switch
            {
                LiteralPart literal => EscapeExpansion(literal.Text),
                SecretPart secret => $"$({Helper("TASKFLOW_SECRET_", secret.Key, SecretReference(secret.Key))})",
                ParameterPart parameter => $"$({Helper("TASKFLOW_PARAMETER_", parameter.Key, ParameterReference(parameter.Key))})",
                _ => throw new InvalidOperationException($"Unknown value part {part}."),
            });
        }

        return text.ToString();
    }

    public JsonArray Build() => [.. _helpers.Concat(_entries).Select(e => e.DeepClone())];

    /// <summary>
    /// Kubernetes turns "$$" into "$" and "$(NAME)" into a variable: a literal "$" before "$" or "(" is doubled so
    /// the text arrives as written. Any other "$" (a shell's "$REDIS_PASSWORD") passes through unchanged.
    /// </summary>
    public static string EscapeExpansion(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            escaped.Append(text[i]);
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] is '$' or '(')
            {
                escaped.Append('$');
            }
        }

        return escaped.ToString();
    }

    private string Helper(string prefix, string key, JsonObject valueFrom)
    {
        var name = prefix + key.ToUpperInvariant().Replace('-', '_').Replace('.', '_');
        if (_helperNames.Add(name))
        {
            _helpers.Add(new JsonObject { ["name"] = name, ["valueFrom"] = valueFrom });
        }

        return name;
    }

    private JsonObject SecretReference(string key) =>
        new() { ["secretKeyRef"] = new JsonObject { ["name"] = secretName, ["key"] = key } };

    private JsonObject ParameterReference(string key) =>
        new() { ["configMapKeyRef"] = new JsonObject { ["name"] = parametersConfigMap, ["key"] = key } };
}
