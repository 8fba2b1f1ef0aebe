namespace TaskFlow.Manifests.Aspire;

/// <summary>
/// Replaces the manifest's <c>{resource.property}</c> expressions with what they mean inside the cluster: a
/// resource's host is its Service name, its port the Service port, secret parameters become Secret keys and
/// other parameters ConfigMap keys. Anything it cannot resolve is an error, never a silent blank.
/// </summary>
public sealed partial class ExpressionResolver
{
    private readonly AspireManifest _manifest;
    private readonly DeploymentSettings _settings;
    private readonly ICollection<string> _errors;
    private readonly Dictionary<string, (IReadOnlyDictionary<string, ClusterEndpoint> Served, IReadOnlyDictionary<string, string> Omitted)> _endpoints = [];
    private readonly Stack<string> _resolving = new();

    public ExpressionResolver(AspireManifest manifest, DeploymentSettings settings, ICollection<string> errors)
    {
        _manifest = manifest;
        _settings = settings;
        _errors = errors;
    }

    public SecretCatalog Secrets { get; } = new();

    /// <summary>The resource whose values are being resolved: the endpoints it refers to become its edges.</summary>
    public string? Owner { get; set; }

    /// <summary>Which resource talks to which endpoint of another, from the references in its values.</summary>
    public SortedSet<Edge> Edges { get; } = [];

    /// <summary>Non-secret parameters by key, with the value the ConfigMap starts with.</summary>
    public SortedDictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\{([^{}]*)\}")]
    public static partial Regex ExpressionPattern();

    public (IReadOnlyDictionary<string, ClusterEndpoint> Served, IReadOnlyDictionary<string, string> Omitted) EndpointsOf(AspireResource resource)
    {
        if (!_endpoints.TryGetValue(resource.Name, out var endpoints))
        {
            endpoints = Endpoints.Of(resource, _errors);
            _endpoints[resource.Name] = endpoints;
        }

        return endpoints;
    }

    /// <param name="template">A manifest string that may contain expressions.</param>
    /// <param name="context">Where the string is, for error messages ("users env ConnectionStrings__usersdb").</param>
    public ResolvedValue Resolve(string template, string context)
    {
        var parts = new List<ValuePart>();
        var position = 0;
        foreach (Match match in ExpressionPattern().Matches(template))
        {
            parts.Add(new LiteralPart(template[position..match.Index]));
            var resolved = ResolveExpression(match.Groups[1].Value, context);
            if (resolved.IsOmitted)
            {
                return resolved;
            }

            parts.AddRange(resolved.Parts);
            position = match.Index + match.Length;
        }

        parts.Add(new LiteralPart(template[position..]));
        return new ResolvedValue(EscapeSecrets(Merge(parts), context));
    }

    /// <summary>
    /// A secret inside a composed value needs the escaping of the format around it, and Kubernetes cannot escape at
    /// run time: an ADO.NET-style <c>Password=</c> gets a quoted copy of the secret (a key of its own, derived by the
    /// <c>secrets</c> command), and where a format has no escaping (StackExchange.Redis options) the characters it
    /// cannot carry are refused when the secrets are written.
    /// </summary>
    private List<ValuePart> EscapeSecrets(List<ValuePart> parts, string context)
    {
        if (parts.Count < 2)
        {
            return parts;
        }

        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not SecretPart secret || Secrets.Find(secret.Key) is not { DerivedFrom: null } source)
            {
                continue;
            }

            var before = i > 0 && parts[i - 1] is LiteralPart literal ? literal.Text : "";
            if (AdoPassword().IsMatch(before))
            {
                var quoted = source.Key + "-quoted";
                Secrets.Add(new SecretKey(quoted, $"{source.Key}, quoted for a connection string (\"...\", '\"' doubled)", null, source.Key, null, SecretEncoding.ConnectionStringQuoted));
                parts[i] = new SecretPart(quoted);
            }
            else if (RedisPassword().IsMatch(before))
            {
                Secrets.Constrain(source.Key, new SecretConstraint(",", $"{context}: StackExchange.Redis options are separated by ',' and cannot escape it"));
            }
        }

        return parts;
    }

    [GeneratedRegex(@"(^|;)\s*Password\s*=$", RegexOptions.IgnoreCase)]
    private static partial Regex AdoPassword();

    [GeneratedRegex(@",\s*password\s*=$", RegexOptions.IgnoreCase)]
    private static partial Regex RedisPassword();

    private ResolvedValue ResolveExpression(string expression, string context)
    {
        var path = expression.Split('.');
        var resource = _manifest.Find(path[0]);
        if (resource is null)
        {
            return Fail($"{context}: {{{expression}}} refers to the unknown resource '{path[0]}'.");
        }

        if (_resolving.Contains(resource.Name + "." + string.Join('.', path[1..])))
        {
            return Fail($"{context}: {{{expression}}} refers to itself.");
        }

        _resolving.Push(resource.Name + "." + string.Join('.', path[1..]));
        try
        {
            return (path[1..], resource.Kind) switch
            {
                (["connectionString"], ResourceKind.Project or ResourceKind.Container or ResourceKind.Value) =>
                    resource.ConnectionString is { } connectionString
                        ? Resolve(connectionString, $"{resource.Name}.connectionString")
                        : Fail($"{context}: {{{expression}}}: '{resource.Name}' has no connection string."),
                (["value"], ResourceKind.Value) => Resolve(resource.Value ?? resource.ConnectionString ?? "", $"{resource.Name}.value"),
                (["value"] or ["inputs", "value"], ResourceKind.Parameter) => ParameterValue(resource, context),
                (["value"], ResourceKind.AnnotatedString) => AnnotatedValue(resource, context),
                (["bindings", var binding, var property], ResourceKind.Project or ResourceKind.Container) =>
                    BindingValue(resource, binding, property, expression, context),
                _ => Fail($"{context}: cannot resolve {{{expression}}} (a {resource.Type} resource)."),
            };
        }
        finally
        {
            _resolving.Pop();
        }
    }

    private ResolvedValue BindingValue(AspireResource resource, string binding, string property, string expression, string context)
    {
        var (served, omitted) = EndpointsOf(resource);
        if (omitted.TryGetValue(binding, out var reason))
        {
            return ResolvedValue.Omitted($"refers to {expression}; {reason}");
        }

        if (!served.TryGetValue(binding, out var endpoint))
        {
            return resource.Bindings.Any(b => b.Name == binding)
                ? Fail($"{context}: {{{expression}}} refers to a binding without a port.")
                : Fail($"{context}: {{{expression}}}: '{resource.Name}' has no binding '{binding}'.");
        }

        if (Owner is not null && Owner != resource.Name)
        {
            Edges.Add(new Edge(Owner, resource.Name, endpoint.Binding.Name, endpoint.Port));
        }

        return property switch
        {
            "host" => ResolvedValue.Literal(resource.Name),
            "port" or "targetPort" => ResolvedValue.Literal(endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "url" => ResolvedValue.Literal(endpoint.Url),
            "scheme" => ResolvedValue.Literal(endpoint.Binding.Scheme),
            "protocol" => ResolvedValue.Literal(endpoint.Binding.Protocol),
            "transport" => ResolvedValue.Literal(endpoint.Binding.Transport),
            _ => Fail($"{context}: {{{expression}}}: unknown binding property '{property}'."),
        };
    }

    private ResolvedValue ParameterValue(AspireResource parameter, string context)
    {
        if (parameter.Input is not { } input)
        {
            return Fail($"{context}: parameter '{parameter.Name}' has no inputs.value.");
        }

        // A generated value is as secret as a declared secret: it must not end up in the repository either.
        if (input.Secret || input.Generate is not null || _settings.SecretFiles.ContainsKey(parameter.Name))
        {
            var file = _settings.SecretFiles.GetValueOrDefault(parameter.Name);
            var description = file is not null
                ? $"secret parameter, read from {file.File}"
                : input.Generate is { } rule
                    ? $"secret parameter (the AppHost generates at least {rule.MinLength} characters{(rule.Special ? "" : ", letters and digits")})"
                    : "secret parameter (no default: required)";
            Secrets.Add(new SecretKey(parameter.Name, description, input.Generate, null, file));
            return new ResolvedValue([new SecretPart(parameter.Name)]);
        }

        var value = _settings.Parameters.GetValueOrDefault(parameter.Name) ?? input.DefaultValue;
        if (value is null)
        {
            return Fail($"{context}: parameter '{parameter.Name}' has no default; give its value under \"parameters\" in the settings.");
        }

        Parameters[parameter.Name] = value;
        return new ResolvedValue([new ParameterPart(parameter.Name)]);
    }

    private ResolvedValue AnnotatedValue(AspireResource annotated, string context)
    {
        var inner = Resolve(annotated.Value ?? "", $"{annotated.Name}.value");
        if (inner.IsOmitted)
        {
            return inner;
        }

        if (annotated.Filter != "uri")
        {
            return Fail($"{context}: '{annotated.Name}' uses the unknown filter '{annotated.Filter}'.");
        }

        if (inner.Parts.All(p => p is LiteralPart or ParameterPart))
        {
            var text = string.Concat(inner.Parts.Select(p => p switch
            {
                LiteralPart literal => literal.Text,
                ParameterPart parameter => Parameters[parameter.Key],
                _ => "",
            }));
            return ResolvedValue.Literal(Uri.EscapeDataString(text));
        }

        // Kubernetes cannot encode at run time: the encoded secret is a key of its own, filled in beside the original.
        if (inner.Parts is [SecretPart source])
        {
            Secrets.Add(new SecretKey(annotated.Name, $"{source.Key}, URI-encoded (percent-encoding)", null, source.Key, null, SecretEncoding.Uri));
            return new ResolvedValue([new SecretPart(annotated.Name)]);
        }

        return Fail($"{context}: '{annotated.Name}' URI-encodes a mix of text and secrets, which cannot be expressed as one Secret key.");
    }

    private ResolvedValue Fail(string message)
    {
        _errors.Add(message);
        return new ResolvedValue([]);
    }

    private static List<ValuePart> Merge(List<ValuePart> parts)
    {
        var merged = new List<ValuePart>();
        foreach (var part in parts)
        {
            if (part is LiteralPart { Text.Length: 0 })
            {
                continue;
            }

            if (part is LiteralPart next && merged.Count > 0 && merged[^1] is LiteralPart previous)
            {
                merged[^1] = new LiteralPart(previous.Text + next.Text);
            }
            else
            {
                merged.Add(part);
            }
        }

        return merged;
    }
}
