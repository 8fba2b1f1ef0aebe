using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TaskFlow.Manifests;
using TaskFlow.Manifests.Aspire;
using TaskFlow.Manifests.Kubernetes;
using TaskFlow.Manifests.Yaml;

namespace TaskFlow.Tests.Deployment;

/// <summary>deploy/k8s as generated from the real AppHost's manifest.</summary>
[Collection(DeploymentCollection.Name)]
[Trait("Category", "Deployment")]
public sealed class KubernetesManifestTests(DeploymentFixture fixture)
{
    private static readonly string[] Services = ["users", "tasks", "notifier", "webhooks", "gateway", "graph", "web"];
    private static readonly string[] BackingServices = ["postgres", "mongo", "redis", "rabbitmq"];

    [Fact]
    public void The_real_manifest_converts_without_errors()
    {
        Assert.True(fixture.Conversion.Succeeded, string.Join("\n", fixture.Conversion.Errors));
    }

    [Fact]
    public void Committed_deploy_k8s_is_what_the_current_AppHost_generates()
    {
        var outdated = fixture.Conversion.Files
            .Where(f =>
            {
                var path = Path.Combine(DeploymentFixture.DeployRoot, "k8s", f.Path);
                return !File.Exists(path) || File.ReadAllText(path) != f.Render();
            })
            .Select(f => f.Path)
            .ToList();
        Assert.True(outdated.Count == 0,
            $"deploy/k8s is out of date ({string.Join(", ", outdated)}): run deploy/generate-k8s.sh and commit deploy/.");

        // Project paths in the manifest are relative to where it was written; everything else must match.
        static string WithoutPaths(string json) => string.Join('\n', json.Split('\n').Where(l => !l.Contains("\"path\":", StringComparison.Ordinal)));
        Assert.True(
            WithoutPaths(File.ReadAllText(Path.Combine(DeploymentFixture.DeployRoot, "aspire-manifest.json"))) == WithoutPaths(fixture.ManifestJson),
            "deploy/aspire-manifest.json is out of date: run deploy/generate-k8s.sh and commit deploy/.");
    }

    [Fact]
    public void Every_service_has_a_deployment_and_every_backing_container_a_workload_with_a_service()
    {
        Assert.Equal(Services.Order(), fixture.Manifest.OfKind(ResourceKind.Project).Select(r => r.Name).Order());
        Assert.Equal(BackingServices.Order(), fixture.Manifest.OfKind(ResourceKind.Container).Select(r => r.Name).Order());

        foreach (var name in Services)
        {
            Assert.Equal($"taskflow/{name}:{fixture.Settings.ImageTag}", Container(Document("Deployment", name))["image"]!.GetValue<string>());
            Assert.NotEqual("latest", fixture.Settings.ImageTag);
            Assert.NotNull(Document("Service", name));
        }

        foreach (var name in BackingServices)
        {
            var workload = Workload(name);
            Assert.Equal(fixture.Manifest.Find(name)!.Image, Container(workload)["image"]!.GetValue<string>());
            Assert.NotNull(Document("Service", name));
        }

        var kustomization = fixture.Conversion.File("base/kustomization.yaml")!.Documents[0];
        var resources = kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.All(Services.Concat(BackingServices), name => Assert.Contains($"{name}.yaml", resources));
    }

    [Fact]
    public void Containers_with_volumes_are_stateful_sets_with_a_claim_per_volume()
    {
        foreach (var container in fixture.Manifest.OfKind(ResourceKind.Container).Where(c => c.Volumes.Count > 0))
        {
            var statefulSet = Document("StatefulSet", container.Name);
            var claims = statefulSet["spec"]!["volumeClaimTemplates"]!.AsArray().Select(c => c!["metadata"]!["name"]!.GetValue<string>());
            Assert.Equal(container.Volumes.Select(v => v.Name).Order(), claims.Order());
            var mounts = Container(statefulSet)["volumeMounts"]!.AsArray();
            Assert.All(container.Volumes, v => Assert.Contains(mounts, m => m!["name"]!.GetValue<string>() == v.Name && m["mountPath"]!.GetValue<string>() == v.Target));
        }
    }

    [Fact]
    public void No_manifest_expression_is_left_in_any_generated_file()
    {
        var expression = new Regex(@"\{[A-Za-z0-9-]+\.(connectionString|bindings|value|inputs)[^}]*\}");
        Assert.All(fixture.Conversion.Files, f => Assert.DoesNotMatch(expression, f.Render()));
    }

    [Fact]
    public void Cluster_addresses_replace_the_manifest_bindings()
    {
        var users = Env(Document("Deployment", "users"));
        Assert.Equal(
            "Host=postgres;Port=5432;Username=postgres;Password=$(TASKFLOW_SECRET_POSTGRES_PASSWORD_QUOTED);Database=usersdb",
            users["ConnectionStrings__usersdb"]["value"]!.GetValue<string>());
        Assert.Equal("redis:6379,password=$(TASKFLOW_SECRET_REDIS_PASSWORD)", users["ConnectionStrings__redis"]["value"]!.GetValue<string>());

        var tasks = Env(Document("Deployment", "tasks"));
        Assert.Equal("mongodb://taskflow:$(TASKFLOW_SECRET_MONGO_PASSWORD_URI_ENCODED)@mongo:27017/tasksdb?authSource=admin",
            tasks["ConnectionStrings__tasksdb"]["value"]!.GetValue<string>());
        Assert.Equal("http://users:8080", tasks["services__users__http__0"]["value"]!.GetValue<string>());
        Assert.Equal("8080", tasks["HTTP_PORTS"]["value"]!.GetValue<string>());

        var gateway = Env(Document("Deployment", "gateway"));
        Assert.Equal("http://notifier:8080", gateway["services__notifier__http__0"]["value"]!.GetValue<string>());
        Assert.Equal("8000", gateway["Management__Port"]["value"]!.GetValue<string>());
        // No in-cluster https: service discovery must not be offered an address nobody serves.
        Assert.DoesNotContain("services__users__https__0", gateway.Keys);

        Assert.Equal(2, Document("Deployment", "tasks")["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, Document("Deployment", "notifier")["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Service_ports_are_numbers_and_target_named_container_ports()
    {
        foreach (var service in AllDocuments().Where(d => Kind(d) == "Service"))
        {
            var workload = Workload(service["spec"]!["selector"]![KubernetesObjects.NameLabel]!.GetValue<string>());
            var containerPorts = Container(workload)["ports"]!.AsArray();
            foreach (var port in service["spec"]!["ports"]!.AsArray())
            {
                Assert.Equal(System.Text.Json.JsonValueKind.Number, port!["port"]!.GetValueKind());
                var target = containerPorts.Single(p => p!["name"]!.GetValue<string>() == port["targetPort"]!.GetValue<string>());
                Assert.Equal(port["port"]!.GetValue<int>(), target!["containerPort"]!.GetValue<int>());
            }
        }
    }

    [Fact]
    public void Secret_values_appear_only_as_secret_references()
    {
        var secretParameters = fixture.Manifest.OfKind(ResourceKind.Parameter)
            .Where(p => p.Input is { Secret: true } or { Generate: not null })
            .Select(p => p.Name)
            .ToList();
        Assert.Contains("postgres-password", secretParameters);
        Assert.Contains("jwt-signing-key", secretParameters);

        foreach (var resource in fixture.Manifest.Resources.Where(r => r.Kind is ResourceKind.Project or ResourceKind.Container))
        {
            var env = Env(Workload(resource.Name));
            foreach (var (name, _) in resource.Env.Where(e => secretParameters.Any(s => e.Value.Contains($"{{{s}.value}}", StringComparison.Ordinal))))
            {
                var entry = env[name];
                if (entry["valueFrom"] is { } valueFrom)
                {
                    Assert.Equal(KubernetesGenerator.SecretName, valueFrom["secretKeyRef"]!["name"]!.GetValue<string>());
                    continue;
                }

                // A composed value (connection string) refers to secret-backed variables defined before it.
                var value = entry["value"]!.GetValue<string>();
                var references = Regex.Matches(value, @"\$\((?<name>[A-Z0-9_]+)\)").Select(m => m.Groups["name"].Value).ToList();
                Assert.NotEmpty(references);
                Assert.All(references, r => Assert.Equal(KubernetesGenerator.SecretName, env[r]["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>()));
            }
        }

        // The Secret itself is generated by kustomize from the git-ignored secrets.env: no Secret object is committed.
        Assert.DoesNotContain(AllDocuments(), d => Kind(d) == "Secret");
        var example = fixture.Conversion.File("base/secrets.example.env")!.RawText!;
        Assert.All(fixture.Conversion.Secrets.Sources.Where(k => k.File is null), k => Assert.Contains($"\n{k.Key}=\n", example));
        // Derived copies are never written by hand: they are not lines of the example.
        Assert.All(fixture.Conversion.Secrets.Derived, k => Assert.DoesNotContain($"\n{k.Key}=", example, StringComparison.Ordinal));
        Assert.Contains("secrets.env", fixture.Conversion.File("base/.gitignore")!.RawText);
        Assert.Contains("secrets.derived.env", fixture.Conversion.File("base/.gitignore")!.RawText);
    }

    [Fact]
    public void Probes_check_health_for_readiness_and_alive_for_liveness_on_the_right_ports()
    {
        foreach (var name in Services)
        {
            var deployment = Document("Deployment", name);
            var container = Container(deployment);
            var ports = container["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["containerPort"]!.GetValue<int>());
            var livePort = name == "gateway" ? "management" : "http";

            Assert.Equal("/health", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("http", container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
            Assert.Equal("/alive", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal(livePort, container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
            Assert.Equal(livePort, container["startupProbe"]!["httpGet"]!["port"]!.GetValue<string>());

            var annotations = deployment["spec"]!["template"]!["metadata"]!["annotations"]!;
            Assert.Equal("true", annotations["prometheus.io/scrape"]!.GetValue<string>());
            Assert.Equal(ports[livePort].ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["prometheus.io/port"]!.GetValue<string>());
            Assert.NotNull(container["resources"]!["requests"]!["memory"]);
            Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        }

        Assert.Equal(8000, Container(Document("Deployment", "gateway"))["ports"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "management")!["containerPort"]!.GetValue<int>());
        // The public port is served on every interface even though the gateway adds its management address itself.
        Assert.Equal("http://+:8080", Env(Document("Deployment", "gateway"))["ASPNETCORE_URLS"]["value"]!.GetValue<string>());
    }

    [Fact]
    public void Only_the_public_gateway_port_is_exposed_through_the_ingress()
    {
        var ingresses = AllDocuments().Where(d => Kind(d) == "Ingress").ToList();
        var backend = Assert.Single(Assert.Single(ingresses)["spec"]!["rules"]!.AsArray()[0]!["http"]!["paths"]!.AsArray())!["backend"]!["service"]!;
        Assert.Equal("gateway", backend["name"]!.GetValue<string>());
        Assert.Equal("http", backend["port"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Postgres_creates_the_databases_the_services_connect_to()
    {
        var sql = Document("ConfigMap", "postgres-init")["data"]!["create-databases.sql"]!.GetValue<string>();
        Assert.Contains("CREATE DATABASE \"usersdb\";", sql);
        Assert.Contains("CREATE DATABASE \"notificationsdb\";", sql);
        Assert.Contains(Container(Document("StatefulSet", "postgres"))["volumeMounts"]!.AsArray(),
            m => m!["mountPath"]!.GetValue<string>() == "/docker-entrypoint-initdb.d");
    }

    [Fact]
    public void Every_yaml_file_parses_back_to_the_generated_objects()
    {
        foreach (var file in fixture.Conversion.Files.Where(f => f.IsYaml))
        {
            var read = YamlReader.ReadDocuments(File.ReadAllText(Path.Combine(DeploymentFixture.DeployRoot, "k8s", file.Path)));
            Assert.Equal(file.Documents.Count, read.Count);
            Assert.All(read.Zip(file.Documents), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second), file.Path));
        }
    }

    private IEnumerable<JsonObject> AllDocuments() => fixture.Conversion.Files.SelectMany(f => f.Documents);

    private JsonObject Document(string kind, string name) =>
        AllDocuments().SingleOrDefault(d => Kind(d) == kind && Name(d) == name)
        ?? throw new Xunit.Sdk.XunitException($"No {kind}/{name} was generated.");

    private JsonObject Workload(string name) =>
        AllDocuments().Single(d => Kind(d) is "Deployment" or "StatefulSet" && Name(d) == name);

    /// <summary>The workload's own container (exporter and reloader sidecars aside).</summary>
    private static JsonObject Container(JsonObject workload) =>
        workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == workload["metadata"]!["name"]!.GetValue<string>())!.AsObject();

    private static Dictionary<string, JsonObject> Env(JsonObject workload) =>
        (Container(workload)["env"]?.AsArray() ?? []).ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!.AsObject());

    private static string Kind(JsonObject document) => document["kind"]?.GetValue<string>() ?? "";

    private static string Name(JsonObject document) => document["metadata"]?["name"]?.GetValue<string>() ?? "";
}
