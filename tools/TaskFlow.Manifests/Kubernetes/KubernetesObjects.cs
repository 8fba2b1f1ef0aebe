namespace TaskFlow.Manifests.Kubernetes;

/// <summary>Builders for the Kubernetes objects the generators share: labels, Services, probes, budgets, autoscalers.</summary>
public static class KubernetesObjects
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ServiceComponent = "service";
    public const string BackingServiceComponent = "backing-service";
    public const string MonitoringComponent = "monitoring";

    public static JsonObject Labels(string name, string component) => new()
    {
        [NameLabel] = name,
        [ComponentLabel] = component,
        [PartOfLabel] = "taskflow",
    };

    public static JsonObject Metadata(string name, string component, string? app = null) => new()
    {
        ["name"] = name,
        ["labels"] = Labels(app ?? name, component),
    };

    public static JsonObject Selector(string name) => new() { ["matchLabels"] = new JsonObject { [NameLabel] = name } };

    public static JsonObject ConfigMap(string name, string? owner, string component, JsonObject data)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (owner is not null)
        {
            metadata["labels"] = Labels(owner, component);
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = data };
    }

    public static JsonObject Service(string name, string component, IEnumerable<(string Name, int Port)> ports, bool headless = false)
    {
        var spec = new JsonObject();
        if (headless)
        {
            // Stable per-pod DNS names for the StatefulSet (<pod>.<service>), ready or not, as the StatefulSet needs.
            spec["clusterIP"] = "None";
            spec["publishNotReadyAddresses"] = true;
        }
        else
        {
            spec["type"] = "ClusterIP";
        }

        spec["selector"] = new JsonObject { [NameLabel] = name };
        spec["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["port"] = p.Port,
            ["targetPort"] = p.Name,
            ["protocol"] = "TCP",
        })]);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = Metadata(headless ? HeadlessName(name) : name, component, name),
            ["spec"] = spec,
        };
    }

    public static string HeadlessName(string name) => name + "-headless";

    public static JsonArray ContainerPorts(IEnumerable<(string Name, int Port)> ports) =>
        [.. ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["containerPort"] = p.Port, ["protocol"] = "TCP" })];

    public static IEnumerable<(string Name, int Port)> Ports(IEnumerable<ClusterEndpoint> endpoints) =>
        endpoints.Select(e => (e.Binding.Name, e.Port));

    public static JsonObject HttpProbe(string path, string port, int periodSeconds, int timeoutSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = port },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = timeoutSeconds,
        ["failureThreshold"] = failureThreshold,
    };

    public static JsonObject TcpProbe(string port, int periodSeconds, int failureThreshold) => new()
    {
        ["tcpSocket"] = new JsonObject { ["port"] = port },
        ["periodSeconds"] = periodSeconds,
        ["failureThreshold"] = failureThreshold,
    };

    public static JsonObject Resources(ResourceLimits limits) => new()
    {
        ["requests"] = new JsonObject { ["cpu"] = limits.Requests.Cpu, ["memory"] = limits.Requests.Memory },
        ["limits"] = new JsonObject { ["cpu"] = limits.Limits.Cpu, ["memory"] = limits.Limits.Memory },
    };

    /// <summary>One pod at a time may be evicted voluntarily (node drain, upgrade); a stuck unhealthy pod never blocks a drain.</summary>
    public static JsonObject DisruptionBudget(string name) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "PodDisruptionBudget",
        ["metadata"] = Metadata(name, ServiceComponent),
        ["spec"] = new JsonObject
        {
            ["maxUnavailable"] = 1,
            ["unhealthyPodEvictionPolicy"] = "AlwaysAllow",
            ["selector"] = Selector(name),
        },
    };

    public static JsonObject Autoscaler(string name, int minReplicas, AutoscalingSettings settings) => new()
    {
        ["apiVersion"] = "autoscaling/v2",
        ["kind"] = "HorizontalPodAutoscaler",
        ["metadata"] = Metadata(name, ServiceComponent),
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name },
            ["minReplicas"] = minReplicas,
            ["maxReplicas"] = Math.Max(minReplicas + 1, minReplicas * settings.MaxReplicasFactor),
            ["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = settings.CpuUtilization },
                },
            }),
            ["behavior"] = new JsonObject
            {
                // Scale up at once, down slowly: a burst must not flap the replica count.
                ["scaleDown"] = new JsonObject { ["stabilizationWindowSeconds"] = 300 },
            },
        },
    };

    /// <summary>Replicas on different nodes (a lost node takes one replica, not all), and across zones where there are any.</summary>
    public static JsonArray TopologySpread(string name) =>
    [
        new JsonObject
        {
            ["maxSkew"] = 1,
            ["topologyKey"] = "kubernetes.io/hostname",
            ["whenUnsatisfiable"] = "DoNotSchedule",
            ["labelSelector"] = Selector(name),
        },
        new JsonObject
        {
            ["maxSkew"] = 1,
            ["topologyKey"] = "topology.kubernetes.io/zone",
            ["whenUnsatisfiable"] = "ScheduleAnyway",
            ["labelSelector"] = Selector(name),
        },
    ];

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
