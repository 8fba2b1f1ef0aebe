using static TaskFlow.Manifests.Kubernetes.KubernetesObjects;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// Default deny, in and out, for the whole namespace; then one allow rule per real edge. The edges are the Aspire
/// manifest's references (a service's connection strings and service-discovery URLs name the endpoints it talks
/// to), so a new service or store gets its rules from the AppHost, not from a hand-kept list. Besides those:
/// DNS for every pod, the ingress controller to public ports, Prometheus to metrics ports, every service to the
/// OpenTelemetry collector.
/// </summary>
public static class NetworkPolicies
{
    public const string DefaultDeny = "default-deny";
    public const string AllowDns = "allow-dns";
    public const string Prometheus = "prometheus";
    public const string Collector = "otel-collector";
    public const int OtlpGrpcPort = 4317;
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static ManifestFile Generate(IReadOnlyList<PolicyTarget> targets, IReadOnlySet<Edge> edges, DeploymentSettings settings)
    {
        var documents = new List<JsonObject>
        {
            Policy(DefaultDeny, new JsonObject(), ingress: [], egress: []),
            Policy(AllowDns, new JsonObject(), ingress: null, egress:
            [
                new JsonObject
                {
                    ["to"] = new JsonArray(new JsonObject
                    {
                        ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [NamespaceNameLabel] = "kube-system" } },
                        ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = "kube-dns" } },
                    }),
                    ["ports"] = new JsonArray(PortRule(53, "UDP"), PortRule(53, "TCP")),
                },
            ]),
        };

        foreach (var target in targets)
        {
            var ingress = new List<JsonObject>();
            foreach (var client in edges.Where(e => e.To == target.Name).GroupBy(e => e.From).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                ingress.Add(FromPods(client.Key, client.Select(e => e.Port)));
            }

            if (target.ExternalPorts.Count > 0)
            {
                ingress.Add(new JsonObject
                {
                    ["from"] = new JsonArray(new JsonObject
                    {
                        ["namespaceSelector"] = new JsonObject
                        {
                            ["matchLabels"] = new JsonObject { [NamespaceNameLabel] = settings.Ingress.ControllerNamespace },
                        },
                    }),
                    ["ports"] = PortRules(target.ExternalPorts.Select(p => p.Port)),
                });
            }

            if (target.Metrics is { } metrics)
            {
                ingress.Add(FromPods(Prometheus, [metrics.Port]));
            }

            var egress = new List<JsonObject>();
            foreach (var server in edges.Where(e => e.From == target.Name).GroupBy(e => e.To).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                egress.Add(ToPods(server.Key, server.Select(e => e.Port)));
            }

            if (target.Component == ServiceComponent)
            {
                egress.Add(ToPods(Collector, [OtlpGrpcPort]));
            }

            if (settings.PublicEgress.Contains(target.Name))
            {
                egress.Add(ToPublicAddresses());
            }

            documents.Add(Policy(target.Name, Selector(target.Name), ingress, egress));
        }

        return new ManifestFile("network-policies.yaml", documents,
            ["NetworkPolicies: deny by default; allow DNS, and each edge the Aspire manifest's references declare."]);
    }

    /// <summary>Any public address (IPv4 and IPv6); private, loopback, link-local (metadata), CGNAT and ULA ranges excluded.</summary>
    public static JsonObject ToPublicAddresses() => new()
    {
        ["to"] = new JsonArray(
            new JsonObject
            {
                ["ipBlock"] = new JsonObject
                {
                    ["cidr"] = "0.0.0.0/0",
                    ["except"] = new JsonArray("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"),
                },
            },
            new JsonObject
            {
                ["ipBlock"] = new JsonObject
                {
                    ["cidr"] = "::/0",
                    ["except"] = new JsonArray("::1/128", "::ffff:0:0/96", "fc00::/7", "fe80::/10"),
                },
            }),
    };

    public static JsonObject Policy(string name, JsonObject podSelector, IReadOnlyList<JsonObject>? ingress, IReadOnlyList<JsonObject>? egress)
    {
        var spec = new JsonObject { ["podSelector"] = podSelector };
        var types = new JsonArray();
        if (ingress is not null)
        {
            types.Add("Ingress");
        }

        if (egress is not null)
        {
            types.Add("Egress");
        }

        spec["policyTypes"] = types;
        if (ingress is { Count: > 0 })
        {
            spec["ingress"] = new JsonArray([.. ingress]);
        }

        if (egress is { Count: > 0 })
        {
            spec["egress"] = new JsonArray([.. egress]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "NetworkPolicy",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [PartOfLabel] = "taskflow" } },
            ["spec"] = spec,
        };
    }

    public static JsonObject FromPods(string name, IEnumerable<int> ports) => new()
    {
        ["from"] = new JsonArray(new JsonObject { ["podSelector"] = Selector(name) }),
        ["ports"] = PortRules(ports),
    };

    public static JsonObject ToPods(string name, IEnumerable<int> ports) => new()
    {
        ["to"] = new JsonArray(new JsonObject { ["podSelector"] = Selector(name) }),
        ["ports"] = PortRules(ports),
    };

    public static JsonArray PortRules(IEnumerable<int> ports) =>
        [.. ports.Distinct().Order().Select(p => (JsonNode)PortRule(p, "TCP"))];

    private static JsonObject PortRule(int port, string protocol) => new() { ["protocol"] = protocol, ["port"] = port };
}
