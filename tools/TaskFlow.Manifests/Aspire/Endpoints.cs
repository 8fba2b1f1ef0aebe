namespace TaskFlow.Manifests.Aspire;

/// <summary>
/// Which bindings of a resource the cluster serves, and on which port. A Service port equals its target port: the
/// manifest's host <c>port</c> is a local-run detail (the gateway's 8080 on the developer's machine).
/// </summary>
public static class Endpoints
{
    /// <summary>The port .NET container images listen on when a project's http binding names none.</summary>
    public const int DefaultProjectHttpPort = 8080;

    public const string HttpsOmitted = "https endpoints are not served inside the cluster (TLS ends at the ingress)";

    public static (IReadOnlyDictionary<string, ClusterEndpoint> Served, IReadOnlyDictionary<string, string> Omitted) Of(
        AspireResource resource, ICollection<string> errors)
    {
        var served = new Dictionary<string, ClusterEndpoint>(StringComparer.Ordinal);
        var omitted = new Dictionary<string, string>(StringComparer.Ordinal);
        var defaultPortTaken = false;
        foreach (var binding in resource.Bindings)
        {
            if (resource.Kind == ResourceKind.Project && binding.Scheme == "https")
            {
                omitted[binding.Name] = HttpsOmitted;
                continue;
            }

            var port = binding.TargetPort;
            if (port is null && resource.Kind == ResourceKind.Project && binding.Scheme == "http" && !defaultPortTaken)
            {
                port = DefaultProjectHttpPort;
                defaultPortTaken = true;
            }

            if (port is not (>= 1 and <= 65535))
            {
                errors.Add($"{resource.Name}: binding '{binding.Name}' has no usable targetPort ({port?.ToString() ?? "none"}); give the endpoint a target port in the AppHost.");
                continue;
            }

            served[binding.Name] = new ClusterEndpoint(resource.Name, binding, port.Value);
        }

        var duplicates = served.Values.GroupBy(e => e.Port).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicates)
        {
            errors.Add($"{resource.Name}: bindings {string.Join(", ", duplicate.Select(e => e.Binding.Name))} share port {duplicate.Key}.");
        }

        return (served, omitted);
    }
}
