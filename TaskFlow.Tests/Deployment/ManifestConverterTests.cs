using System.Text.Json.Nodes;
using TaskFlow.Manifests;
using TaskFlow.Manifests.Aspire;
using TaskFlow.Manifests.Kubernetes;
using TaskFlow.Manifests.Yaml;

namespace TaskFlow.Tests.Deployment;

/// <summary>The converter on small hand-made manifests: what it refuses, and how it keeps secrets out.</summary>
[Trait("Category", "Unit")]
public sealed class ManifestConverterTests
{
    private static readonly DeploymentSettings Settings = new();

    [Fact]
    public void A_reference_to_an_unknown_resource_fails_naming_the_expression()
    {
        var conversion = Convert(Project("api", new JsonObject { ["ConnectionStrings__db"] = "{missing.connectionString}" }));

        Assert.False(conversion.Succeeded);
        Assert.Contains(conversion.Errors, e => e.Contains("api env ConnectionStrings__db", StringComparison.Ordinal) &&
                                                e.Contains("{missing.connectionString}", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_binding_property_fails()
    {
        var conversion = Convert(Project("api", new JsonObject { ["X"] = "{api.bindings.http.colour}" }));

        Assert.Contains(conversion.Errors, e => e.Contains("unknown binding property 'colour'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resource_name_that_is_not_dns_1123_fails()
    {
        var conversion = Convert(Project("Api_Service", []));

        Assert.Contains(conversion.Errors, e => e.Contains("'Api_Service' is not a DNS-1123", StringComparison.Ordinal));
    }

    [Fact]
    public void A_container_binding_without_a_target_port_fails()
    {
        var conversion = Convert(("cache", new JsonObject
        {
            ["type"] = "container.v0",
            ["image"] = "docker.io/library/redis:8",
            ["bindings"] = new JsonObject { ["tcp"] = new JsonObject { ["scheme"] = "tcp", ["protocol"] = "tcp", ["transport"] = "tcp" } },
        }));

        Assert.Contains(conversion.Errors, e => e.Contains("cache: binding 'tcp' has no usable targetPort", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unsupported_resource_type_fails()
    {
        var conversion = Convert(("worker", new JsonObject { ["type"] = "dockerfile.v0", ["path"] = "Dockerfile" }));

        Assert.Contains(conversion.Errors, e => e.Contains("'dockerfile.v0' is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_default_never_reaches_a_generated_file()
    {
        var conversion = Convert(
            Project("api", new JsonObject
            {
                ["Db__Password"] = "{db-password.value}",
                ["ConnectionStrings__db"] = "Host=db;Password={db-password.value}",
            }),
            ("db-password", Parameter(secret: true, defaultValue: "s3cret-literal-value")));

        Assert.True(conversion.Succeeded, string.Join("\n", conversion.Errors));
        Assert.All(conversion.Files, f => Assert.DoesNotContain("s3cret-literal-value", f.Render(), StringComparison.Ordinal));
        var env = conversion.Files.Single(f => f.Path == "base/api.yaml").Documents[0]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal("db-password", env.Single(e => e!["name"]!.GetValue<string>() == "Db__Password")!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>());
        Assert.Equal("Host=db;Password=$(TASKFLOW_SECRET_DB_PASSWORD_QUOTED)",
            env.Single(e => e!["name"]!.GetValue<string>() == "ConnectionStrings__db")!["value"]!.GetValue<string>());
        Assert.Equal(["db-password", "db-password-quoted"], conversion.Secrets.Keys.Select(k => k.Key));
    }

    [Fact]
    public void A_plain_parameter_goes_to_the_config_map_and_one_without_any_value_fails()
    {
        var withDefault = Convert(Project("api", new JsonObject { ["Admin"] = "{admin.value}" }), ("admin", Parameter(secret: false, defaultValue: "ops@example.com")));
        var parameters = withDefault.Files.Single(f => f.Path == "base/parameters.yaml").Documents[0];
        Assert.Equal("ops@example.com", parameters["data"]!["admin"]!.GetValue<string>());

        var without = Convert(Project("api", new JsonObject { ["Admin"] = "{admin.value}" }), ("admin", Parameter(secret: false, defaultValue: null)));
        Assert.Contains(without.Errors, e => e.Contains("parameter 'admin' has no default", StringComparison.Ordinal));
    }

    [Fact]
    public void Literal_dollar_parentheses_are_escaped_from_kubernetes_expansion()
    {
        var conversion = Convert(Project("api", new JsonObject { ["Template"] = "cost $(price) and $$ and $HOME" }));

        var env = conversion.Files.Single(f => f.Path == "base/api.yaml").Documents[0]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        // Kubernetes reads "$$" as "$": the container sees "cost $(price) and $$ and $HOME".
        Assert.Equal("cost $$(price) and $$$ and $HOME", env.Single(e => e!["name"]!.GetValue<string>() == "Template")!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_validator_reports_dangling_references()
    {
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api"},
             "spec":{"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"other"}},
               "spec":{"containers":[{"name":"api","image":"x/api:1","ports":[{"name":"http","containerPort":80}],
                 "env":[{"name":"A","value":"$(B)"},{"name":"B","valueFrom":{"secretKeyRef":{"name":"s","key":"nope"}}}],
                 "readinessProbe":{"httpGet":{"path":"/health","port":"metrics"}},
                 "volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}}}
            """)!.AsObject();
        var service = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"api"},"spec":{"selector":{"app":"api"},"ports":[{"name":"http","port":"eighty","targetPort":"http"}]}}
            """)!.AsObject();

        var errors = ManifestValidator.Validate(
            [new ManifestFile("api.yaml", [deployment, service])],
            new Dictionary<string, IReadOnlySet<string>> { ["s"] = new HashSet<string> { "key" } });

        Assert.Contains(errors, e => e.Contains("selector app=api does not match", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$(B) refers to no variable defined before it", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Secret 's' has no key 'nope'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("readinessProbe port 'metrics' is not one of the container's ports", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("volumeMount 'data' has no volume", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("the selector matches no Deployment", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("8080")]
    [InlineData("1.5")]
    [InlineData("100m")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("- item")]
    [InlineData("key: value")]
    [InlineData("a #comment")]
    [InlineData("{not: a map}")]
    [InlineData("*alias")]
    [InlineData("quote \" and backslash \\")]
    [InlineData("Host=postgres;Port=5432;Password=$(X)")]
    [InlineData("line one\nline two\n")]
    [InlineData("line one\nline two")]
    [InlineData("ends with blank lines\n\n")]
    [InlineData("  leading spaces\nsecond")]
    [InlineData("tab\there")]
    [InlineData("http://users:8080")]
    [InlineData("ünïcode ✓")]
    public void Yaml_strings_read_back_as_the_same_strings(string text)
    {
        var document = new JsonObject { ["value"] = text, ["list"] = new JsonArray(text, new JsonObject { [text.Length == 0 ? "k" : text.Split('\n')[0]] = text }) };

        var read = Assert.Single(YamlReader.ReadDocuments(YamlWriter.Write([document])));

        Assert.True(JsonNode.DeepEquals(document, read), YamlWriter.Write([document]));
    }

    [Fact]
    public void Yaml_numbers_and_booleans_stay_typed()
    {
        var document = new JsonObject { ["replicas"] = 2, ["enabled"] = false, ["empty"] = new JsonObject(), ["none"] = new JsonArray() };

        var yaml = YamlWriter.Write([document]);

        Assert.Equal("---\nreplicas: 2\nenabled: false\nempty: {}\nnone: []\n", yaml);
        Assert.True(JsonNode.DeepEquals(document, YamlReader.ReadDocuments(yaml)[0]));
    }

    [Fact]
    public void A_new_service_gets_its_budget_autoscaler_and_network_policy_edges_from_its_references()
    {
        var edge = Project("edge", new JsonObject { ["services__api__http__0"] = "{api.bindings.http.url}" });
        edge.Item2["bindings"]!["http"]!["external"] = true;
        var conversion = Convert(
            Project("api", new JsonObject { ["ConnectionStrings__cache"] = "{cache.bindings.tcp.host}:{cache.bindings.tcp.port}" }),
            edge,
            ("cache", new JsonObject
            {
                ["type"] = "container.v0",
                ["image"] = "docker.io/library/redis:8",
                ["bindings"] = new JsonObject { ["tcp"] = new JsonObject { ["scheme"] = "tcp", ["protocol"] = "tcp", ["transport"] = "tcp", ["targetPort"] = 6379 } },
            }));

        Assert.True(conversion.Succeeded, string.Join("\n", conversion.Errors));
        var api = conversion.File("base/api.yaml")!.Documents;
        Assert.Contains(api, d => d["kind"]!.GetValue<string>() == "PodDisruptionBudget");
        Assert.Contains(api, d => d["kind"]!.GetValue<string>() == "HorizontalPodAutoscaler");
        var policies = conversion.File("base/network-policies.yaml")!.Documents.ToDictionary(d => d["metadata"]!["name"]!.GetValue<string>());
        Assert.Contains("default-deny", policies.Keys);
        Assert.Equal("edge", policies["api"]["spec"]!["ingress"]![0]!["from"]![0]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal(8080, policies["api"]["spec"]!["ingress"]![0]!["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Equal("api", policies["cache"]["spec"]!["ingress"]![0]!["from"]![0]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal("cache", policies["api"]["spec"]!["egress"]![0]!["to"]![0]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        // The external service is reached from the ingress controller's namespace, and nothing else reaches the cache.
        Assert.NotNull(policies["edge"]["spec"]!["ingress"]![0]!["from"]![0]!["namespaceSelector"]);
        Assert.Single(policies["cache"]["spec"]!["ingress"]!.AsArray(), r => r!["from"]![0]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>() != "prometheus");
    }

    [Fact]
    public void Mongodb_gets_a_root_password_and_every_connection_string_to_it_the_credentials()
    {
        var conversion = Convert(
            ("docs", new JsonObject
            {
                ["type"] = "container.v0",
                ["image"] = "docker.io/mongo:7.0",
                ["connectionString"] = "mongodb://{docs.bindings.tcp.host}:{docs.bindings.tcp.port}",
                ["bindings"] = new JsonObject { ["tcp"] = new JsonObject { ["scheme"] = "tcp", ["protocol"] = "tcp", ["transport"] = "tcp", ["targetPort"] = 27017 } },
            }),
            ("docsdb", new JsonObject { ["type"] = "value.v0", ["connectionString"] = "mongodb://{docs.bindings.tcp.host}:{docs.bindings.tcp.port}/docsdb" }),
            Project("api", new JsonObject { ["ConnectionStrings__docsdb"] = "{docsdb.connectionString}", ["ConnectionStrings__docs"] = "{docs.connectionString}" }));

        Assert.True(conversion.Succeeded, string.Join("\n", conversion.Errors));
        var mongoEnv = conversion.File("base/docs.yaml")!.Documents[0]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal("docs-password", mongoEnv.Single(e => e!["name"]!.GetValue<string>() == "MONGO_INITDB_ROOT_PASSWORD")!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>());
        var apiEnv = conversion.File("base/api.yaml")!.Documents[0]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        string Value(string name) => apiEnv.Single(e => e!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();
        Assert.Equal("mongodb://taskflow:$(TASKFLOW_SECRET_DOCS_PASSWORD_URI_ENCODED)@docs:27017/docsdb?authSource=admin", Value("ConnectionStrings__docsdb"));
        Assert.Equal("mongodb://taskflow:$(TASKFLOW_SECRET_DOCS_PASSWORD_URI_ENCODED)@docs:27017/?authSource=admin", Value("ConnectionStrings__docs"));
        Assert.Equal(SecretEncoding.Uri, conversion.Secrets.Find("docs-password-uri-encoded")!.Encoding);
    }

    [Fact]
    public void The_image_tag_latest_is_refused()
    {
        var conversion = ManifestConverter.Convert(
            AspireManifest.Parse(new JsonObject { ["resources"] = new JsonObject { ["api"] = Project("api", []).Item2 } }.ToJsonString()),
            new DeploymentSettings { ImageTag = "latest" }, monitoring: null);

        Assert.Contains(conversion.Errors, e => e.Contains("never 'latest'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_password_in_an_ado_connection_string_is_taken_from_its_quoted_copy()
    {
        var conversion = Convert(
            Project("api", new JsonObject { ["ConnectionStrings__db"] = "Host=db;Username=u;Password={db-password.value};Database=x" }),
            ("db-password", Parameter(secret: true, defaultValue: null)));

        Assert.True(conversion.Succeeded, string.Join("\n", conversion.Errors));
        Assert.Equal(SecretEncoding.ConnectionStringQuoted, conversion.Secrets.Find("db-password-quoted")!.Encoding);
        Assert.Contains("Password=$(TASKFLOW_SECRET_DB_PASSWORD_QUOTED);", conversion.File("base/api.yaml")!.Render(), StringComparison.Ordinal);
    }

    private static Conversion Convert(params (string Name, JsonObject Resource)[] resources)
    {
        var manifest = new JsonObject { ["resources"] = new JsonObject(resources.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)r.Resource))) };
        return ManifestConverter.Convert(AspireManifest.Parse(manifest.ToJsonString()), Settings, monitoring: null);
    }

    private static (string, JsonObject) Project(string name, JsonObject env) => (name, new JsonObject
    {
        ["type"] = "project.v0",
        ["path"] = $"../{name}/{name}.csproj",
        ["env"] = env,
        ["bindings"] = new JsonObject
        {
            ["http"] = new JsonObject { ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http" },
            ["https"] = new JsonObject { ["scheme"] = "https", ["protocol"] = "tcp", ["transport"] = "http" },
        },
    });

    private static JsonObject Parameter(bool secret, string? defaultValue)
    {
        var input = new JsonObject { ["type"] = "string", ["secret"] = secret };
        if (defaultValue is not null)
        {
            input["default"] = new JsonObject { ["value"] = defaultValue };
        }

        return new JsonObject { ["type"] = "parameter.v0", ["value"] = "{x.inputs.value}", ["inputs"] = new JsonObject { ["value"] = input } };
    }
}
