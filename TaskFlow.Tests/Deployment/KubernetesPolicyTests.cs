using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TaskFlow.Manifests.Aspire;

namespace TaskFlow.Tests.Deployment;

/// <summary>
/// The platform rules, asserted on every workload of both rendered overlays, and for every resource of the Aspire
/// manifest: a service or store added to the AppHost without them fails here.
/// </summary>
[Trait("Category", "Deployment")]
public sealed partial class KubernetesPolicyTests(RenderedOverlaysFixture fixture) : IClassFixture<RenderedOverlaysFixture>
{
    public static TheoryData<string> Overlays => [.. RenderedOverlaysFixture.OverlayNames];

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9-]+)\.(?<property>connectionString|bindings|value)")]
    private static partial Regex Reference();

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_pod_runs_non_root_with_seccomp_a_read_only_root_no_capabilities_and_no_api_token(string overlay)
    {
        var workloads = Workloads(overlay).ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            var where = $"{overlay} {Kind(workload)}/{Name(workload)}";
            var pod = PodSpec(workload);
            Assert.True(pod["automountServiceAccountToken"]?.GetValue<bool>() == false, $"{where}: automountServiceAccountToken is not false");
            var context = pod["securityContext"]!;
            Assert.True(context["runAsNonRoot"]?.GetValue<bool>() == true, $"{where}: runAsNonRoot");
            Assert.True(context["runAsUser"].AsInt() > 0, $"{where}: runAsUser must be a non-zero UID");
            Assert.Equal("RuntimeDefault", context["seccompProfile"]?["type"]?.GetValue<string>());
            Assert.DoesNotContain(Array(pod["volumes"]), v => v!["hostPath"] is not null);

            var writable = Array(pod["volumes"]).Where(v => v!["emptyDir"] is not null).Select(v => v!["name"]!.GetValue<string>()).ToHashSet();
            foreach (var container in Array(pod["containers"]).Concat(Array(pod["initContainers"])).Select(c => c!.AsObject()))
            {
                var at = $"{where} container {container["name"]}";
                var security = container["securityContext"];
                Assert.True(security?["readOnlyRootFilesystem"]?.GetValue<bool>() == true, $"{at}: readOnlyRootFilesystem");
                Assert.True(security?["allowPrivilegeEscalation"]?.GetValue<bool>() == false, $"{at}: allowPrivilegeEscalation");
                Assert.Contains("ALL", Array(security?["capabilities"]?["drop"]).Select(c => c!.GetValue<string>()));
                Assert.Null(security?["capabilities"]?["add"]);
                Assert.Null(security?["privileged"]);
                Assert.True(security?["runAsUser"] is null || security["runAsUser"].AsInt() > 0, $"{at}: runs as root");
                foreach (var quantity in new[] { "cpu", "memory" })
                {
                    Assert.True(container["resources"]?["requests"]?[quantity] is not null && container["resources"]?["limits"]?[quantity] is not null,
                        $"{at}: {quantity} request and limit");
                }

                var image = container["image"]!.GetValue<string>();
                Assert.Matches(@"^[^@]+:[A-Za-z0-9][A-Za-z0-9._-]*$", image);
                Assert.False(image.EndsWith(":latest", StringComparison.Ordinal), $"{at}: image {image} is not pinned");
            }

            // The explicit writable paths: emptyDirs mounted where the image writes (at least /tmp for each of ours).
            Assert.True(writable.Count > 0, $"{where}: no writable emptyDir for a read-only root");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_of_the_manifest_has_a_rolling_deployment_service_budget_autoscaler_and_spread(string overlay)
    {
        var objects = fixture.Objects[overlay];
        foreach (var project in fixture.Manifest.OfKind(ResourceKind.Project))
        {
            var name = project.Name;
            var deployment = Single(objects, "Deployment", name);
            var replicas = deployment["spec"]!["replicas"].AsInt();
            Assert.Equal(ExpectedReplicas(overlay, name), replicas);
            Assert.Equal(0, deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"].AsInt());
            Assert.Equal($"{fixture.Settings.ImagePrefix}/{name}:{fixture.Settings.ImageTag}", Array(PodSpec(deployment)["containers"])[0]!["image"]!.GetValue<string>());

            Assert.Contains(objects, o => Kind(o) == "Service" && o["spec"]!["selector"]!["app.kubernetes.io/name"]?.GetValue<string>() == name);

            var budget = Assert.Single(objects, o => Kind(o) == "PodDisruptionBudget" && Selects(o["spec"]!["selector"]!, deployment));
            Assert.Equal(1, budget["spec"]!["maxUnavailable"].AsInt());

            var autoscaler = Single(objects, "HorizontalPodAutoscaler", name);
            Assert.Equal("Deployment", autoscaler["spec"]!["scaleTargetRef"]!["kind"]!.GetValue<string>());
            Assert.Equal(name, autoscaler["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
            Assert.Equal(replicas, autoscaler["spec"]!["minReplicas"].AsInt());
            Assert.True(autoscaler["spec"]!["maxReplicas"].AsInt() > replicas);
            Assert.Contains(Array(autoscaler["spec"]!["metrics"]), m => m!["resource"]?["name"]?.GetValue<string>() == "cpu");

            var spread = Array(PodSpec(deployment)["topologySpreadConstraints"]);
            Assert.Contains(spread, c => c!["topologyKey"]!.GetValue<string>() == "kubernetes.io/hostname" &&
                                         c["whenUnsatisfiable"]!.GetValue<string>() == "DoNotSchedule" && Selects(c["labelSelector"]!, deployment));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_stateful_set_has_a_headless_governing_service(string overlay)
    {
        var objects = fixture.Objects[overlay];
        var statefulSets = objects.Where(o => Kind(o) == "StatefulSet").ToList();
        Assert.Equal(fixture.Manifest.OfKind(ResourceKind.Container).Count(c => c.Volumes.Count > 0), statefulSets.Count);
        foreach (var statefulSet in statefulSets)
        {
            var governing = Single(objects, "Service", statefulSet["spec"]!["serviceName"]!.GetValue<string>());
            Assert.Equal("None", governing["spec"]!["clusterIP"]!.GetValue<string>());
            Assert.True(Selects(new JsonObject { ["matchLabels"] = governing["spec"]!["selector"]!.DeepClone() }, statefulSet));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_namespace_denies_all_traffic_and_allows_exactly_the_manifest_edges(string overlay)
    {
        var objects = fixture.Objects[overlay];
        var policies = objects.Where(o => Kind(o) == "NetworkPolicy").ToList();
        var deny = Assert.Single(policies, p => p["spec"]!["podSelector"]!.AsObject().Count == 0 && p["spec"]!["ingress"] is null && p["spec"]!["egress"] is null);
        Assert.Equal(["Egress", "Ingress"], Array(deny["spec"]!["policyTypes"]).Select(t => t!.GetValue<string>()).Order());

        // Every workload is selected by a policy that lets something in (else nothing could reach it at all).
        foreach (var workload in Workloads(overlay))
        {
            Assert.Contains(policies, p => p["spec"]!["podSelector"]!.AsObject().Count > 0 && Selects(p["spec"]!["podSelector"]!, workload));
        }

        var edges = ManifestEdges();
        Assert.NotEmpty(edges);
        foreach (var (from, to) in edges)
        {
            var ports = ServedPorts(to);
            Assert.True(Allows(policies, objects, from, to, ingress: true, ports), $"{overlay}: no ingress rule lets {from} reach {to}");
            Assert.True(Allows(policies, objects, from, to, ingress: false, ports), $"{overlay}: no egress rule lets {from} reach {to}");
        }

        // Least privilege: a pod-to-pod rule of the application's policies is a manifest edge, or Prometheus scraping,
        // or a service sending OTLP to the collector.
        foreach (var policy in policies.Where(p => p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"] is not null))
        {
            var target = policy["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>();
            foreach (var peer in Array(policy["spec"]!["ingress"]).SelectMany(r => Array(r!["from"])).Select(f => f!["podSelector"]?["matchLabels"]?["app.kubernetes.io/name"]?.GetValue<string>()).OfType<string>())
            {
                Assert.True(edges.Contains((peer, target)) || peer is "prometheus" or "grafana" || target is "otel-collector",
                    $"{overlay}: {target} admits {peer}, which is no edge of the manifest");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_webhook_sender_reaches_outside_the_cluster_and_never_private_link_local_or_metadata_addresses(string overlay)
    {
        var policies = fixture.Objects[overlay].Where(o => Kind(o) == "NetworkPolicy").ToList();
        var withAddressBlocks = policies
            .Where(p => Array(p["spec"]!["egress"]).SelectMany(r => Array(r!["to"])).Any(t => t!["ipBlock"] is not null))
            .Select(p => p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]?.GetValue<string>())
            .ToList();
        // The monitoring pods (alert mail, remote write) have port-only rules; no application pod but the webhooks.
        Assert.Equal(["webhooks"], withAddressBlocks);

        var webhooks = policies.Single(p => p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]?.GetValue<string>() == "webhooks");
        var blocks = Array(webhooks["spec"]!["egress"]).SelectMany(r => Array(r!["to"])).Select(t => t!["ipBlock"]).OfType<JsonNode>().ToList();
        string[] Except(string cidr) => [.. Array(blocks.Single(b => b["cidr"]!.GetValue<string>() == cidr)["except"]).Select(e => e!.GetValue<string>())];
        Assert.Superset(new HashSet<string> { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "127.0.0.0/8" }, Except("0.0.0.0/0").ToHashSet());
        Assert.Superset(new HashSet<string> { "fc00::/7", "fe80::/10", "::1/128", "::ffff:0:0/96" }, Except("::/0").ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_public_service_is_reached_only_through_a_tls_ingress_and_trusts_forwarded_headers_only_from_its_overlay_networks(string overlay)
    {
        var objects = fixture.Objects[overlay];
        var settings = fixture.Settings.Overlays[overlay];
        var ingress = Assert.Single(objects, o => Kind(o) == "Ingress");
        Assert.Equal(settings.Ingress!.ClusterIssuer, ingress["metadata"]!["annotations"]!["cert-manager.io/cluster-issuer"]!.GetValue<string>());
        Assert.Equal(settings.Ingress.ClassName, ingress["spec"]!["ingressClassName"]!.GetValue<string>());
        var tls = Assert.Single(Array(ingress["spec"]!["tls"]))!;
        Assert.Equal([settings.Ingress.Host], Array(tls["hosts"]).Select(h => h!.GetValue<string>()));
        Assert.Equal(settings.Ingress.TlsSecret, tls["secretName"]!.GetValue<string>());
        Assert.All(Array(ingress["spec"]!["rules"]), r => Assert.Equal(settings.Ingress.Host, r!["host"]!.GetValue<string>()));

        var service = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!["name"]!.GetValue<string>();
        var container = Array(PodSpec(Single(objects, "Deployment", service))["containers"])[0]!;
        Assert.DoesNotContain(Array(container["env"]), e => e!["name"]!.GetValue<string>() == "ASPNETCORE_FORWARDEDHEADERS_ENABLED");
        var configMap = Single(objects, "ConfigMap", container["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
        var expected = settings.Forwarding!.TrustedNetworks.Select((n, i) => ($"Gateway__TrustedNetworks__{i}", n))
            .Concat(settings.Forwarding.TrustedProxies.Select((p, i) => ($"Gateway__TrustedProxies__{i}", p)));
        Assert.Equal(expected.Order(), (configMap["data"]?.AsObject() ?? []).Select(d => (d.Key, d.Value!.GetValue<string>())).Order());
        Assert.DoesNotContain(objects.Where(o => Kind(o) == "Deployment").SelectMany(d => Array(PodSpec(d)["containers"])).SelectMany(c => Array(c!["env"])),
            e => e!["name"]!.GetValue<string>() == "ASPNETCORE_FORWARDEDHEADERS_ENABLED");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_sends_otlp_to_the_collector_that_the_overlay_deploys(string overlay)
    {
        var objects = fixture.Objects[overlay];
        var collector = Single(objects, "Service", "otel-collector");
        Assert.Contains(Array(collector["spec"]!["ports"]), p => p!["port"].AsInt() == 4317);
        foreach (var project in fixture.Manifest.OfKind(ResourceKind.Project))
        {
            var env = Array(Array(PodSpec(Single(objects, "Deployment", project.Name))["containers"])[0]!["env"]);
            Assert.Contains(env, e => e!["name"]!.GetValue<string>() == "OTEL_EXPORTER_OTLP_ENDPOINT" && e["value"]!.GetValue<string>() == "http://otel-collector:4317");
        }
    }

    [Fact]
    public void Mongodb_requires_credentials_from_the_secret_and_its_clients_present_them()
    {
        var objects = fixture.Objects["prod"];
        var mongo = Array(PodSpec(Single(objects, "StatefulSet", "mongo"))["containers"])[0]!;
        var password = Assert.Single(Array(mongo["env"]), e => e!["name"]!.GetValue<string>() == "MONGO_INITDB_ROOT_PASSWORD")!;
        Assert.StartsWith("taskflow-secrets-", password["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);

        var clients = objects.Where(o => Kind(o) == "Deployment")
            .SelectMany(d => Array(PodSpec(d)["containers"]).SelectMany(c => Array(c!["env"])))
            .Select(e => e!["value"]?.GetValue<string>())
            .OfType<string>()
            .Where(v => v.StartsWith("mongodb://", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(clients);
        Assert.All(clients, c => Assert.Matches(@"^mongodb://[a-z]+:\$\([A-Z_]+\)@mongo:27017/[^?]*\?authSource=admin$", c));
    }

    /// <summary>Which resource talks to which: worked out here from the manifest's references, independently of the converter.</summary>
    private HashSet<(string From, string To)> ManifestEdges()
    {
        var edges = new HashSet<(string, string)>();
        foreach (var resource in fixture.Manifest.Resources.Where(r => r.Kind is ResourceKind.Project))
        {
            foreach (var target in resource.Env.SelectMany(e => Targets(e.Value, [])).Where(t => t != resource.Name))
            {
                edges.Add((resource.Name, target));
            }
        }

        return edges;
    }

    private IEnumerable<string> Targets(string text, HashSet<string> seen)
    {
        foreach (Match match in Reference().Matches(text))
        {
            var name = match.Groups["name"].Value;
            var resource = fixture.Manifest.Find(name);
            if (resource is null || !seen.Add(name + match.Groups["property"].Value))
            {
                continue;
            }

            if (resource.Kind is ResourceKind.Project or ResourceKind.Container)
            {
                // A reference to an https binding is left out of the cluster: not an edge.
                if (!(match.Groups["property"].Value == "bindings" && text[(match.Index + match.Length)..].StartsWith(".https", StringComparison.Ordinal)))
                {
                    yield return name;
                }
            }
            else
            {
                foreach (var inner in Targets(resource.ConnectionString ?? resource.Value ?? "", seen))
                {
                    yield return inner;
                }
            }
        }
    }

    private List<int> ServedPorts(string resource) =>
        [.. fixture.Manifest.Find(resource)!.Bindings.Where(b => b.Scheme != "https").Select(b => b.TargetPort ?? 8080)];

    private static bool Allows(List<JsonObject> policies, IReadOnlyList<JsonObject> objects, string from, string to, bool ingress, List<int> ports)
    {
        var source = Workload(objects, from);
        var destination = Workload(objects, to);
        var (subject, peer, direction, peers) = ingress ? (destination, source, "ingress", "from") : (source, destination, "egress", "to");
        return policies.Where(p => Selects(p["spec"]!["podSelector"]!, subject))
            .SelectMany(p => Array(p["spec"]![direction]))
            .Any(rule => Array(rule![peers]).Any(x => x!["podSelector"] is { } selector && x["namespaceSelector"] is null && Selects(selector, peer)) &&
                         Array(rule["ports"]).Any(p => ports.Contains(p!["port"].AsInt())));
    }

    private int ExpectedReplicas(string overlay, string service)
    {
        var replicas = fixture.Settings.Overlays[overlay].Replicas;
        return replicas.TryGetValue(service, out var count) ? count : replicas["default"];
    }

    private IEnumerable<JsonObject> Workloads(string overlay) => fixture.Objects[overlay].Where(o => Kind(o) is "Deployment" or "StatefulSet");

    private static JsonObject Workload(IReadOnlyList<JsonObject> objects, string name) =>
        Assert.Single(objects, o => Kind(o) is "Deployment" or "StatefulSet" && Name(o) == name);

    private static bool Selects(JsonNode selector, JsonObject workload)
    {
        var labels = workload["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var match = selector["matchLabels"]?.AsObject() ?? [];
        return match.All(l => labels[l.Key]?.GetValue<string>() == l.Value!.GetValue<string>());
    }

    private static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        objects.SingleOrDefault(o => Kind(o) == kind && Name(o) == name) ??
        objects.SingleOrDefault(o => Kind(o) == kind && Regex.IsMatch(Name(o), $"^{Regex.Escape(name)}-[a-z0-9]{{10}}$")) ??
        throw new Xunit.Sdk.XunitException($"No {kind}/{name} was rendered.");

    private static JsonObject PodSpec(JsonObject workload) => workload["spec"]!["template"]!["spec"]!.AsObject();

    private static JsonArray Array(JsonNode? node) => node as JsonArray ?? [];

    private static string Kind(JsonObject o) => o["kind"]?.GetValue<string>() ?? "";

    private static string Name(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? "";
}

/// <summary>Numbers read back from YAML are 64-bit.</summary>
internal static class JsonNumbers
{
    public static int AsInt(this JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number)
        ? checked((int)number)
        : node?.GetValue<int>() ?? throw new Xunit.Sdk.XunitException("A number is missing.");
}
