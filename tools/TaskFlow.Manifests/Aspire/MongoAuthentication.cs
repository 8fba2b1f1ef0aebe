namespace TaskFlow.Manifests.Aspire;

/// <summary>
/// The AppHost's MongoDB container has no credentials (its local stand-in has none to give). For the cluster the
/// converter adds what Aspire's own MongoDB integration would publish: a generated secret password parameter, its
/// URI-encoded form, MONGO_INITDB_ROOT_USERNAME/PASSWORD on the container, and those credentials (with
/// <c>authSource=admin</c>) in every connection string that points at it.
/// </summary>
public static partial class MongoAuthentication
{
    public const string UserVariable = "MONGO_INITDB_ROOT_USERNAME";
    public const string PasswordVariable = "MONGO_INITDB_ROOT_PASSWORD";

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex UriSafeUser();

    public static string PasswordParameter(string container) => container + "-password";

    public static bool IsMongo(AspireResource resource) =>
        resource.Kind == ResourceKind.Container && resource.Image?.Split(':')[0].Split('/')[^1] == "mongo";

    /// <returns>The manifest with authentication added to every MongoDB container that has none.</returns>
    public static AspireManifest Apply(AspireManifest manifest, string user)
    {
        if (!UriSafeUser().IsMatch(user))
        {
            throw new ManifestException($"The MongoDB user '{user}' must be letters, digits, '.', '_' or '-' (it is written into URIs as is).");
        }

        var targets = manifest.Resources.Where(r => IsMongo(r) && r.Env.All(e => e.Key != PasswordVariable) && r.Bindings.Count > 0).ToList();
        if (targets.Count == 0)
        {
            return manifest;
        }

        var resources = new JsonObject(manifest.Resources.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)r.Json.DeepClone())));
        foreach (var mongo in targets)
        {
            var password = PasswordParameter(mongo.Name);
            var encoded = password + "-uri-encoded";
            resources[password] = new JsonObject
            {
                ["type"] = "parameter.v0",
                ["value"] = $"{{{password}.inputs.value}}",
                ["inputs"] = new JsonObject
                {
                    ["value"] = new JsonObject
                    {
                        ["type"] = "string",
                        ["secret"] = true,
                        ["default"] = new JsonObject { ["generate"] = new JsonObject { ["minLength"] = 22 } },
                    },
                },
            };
            resources[encoded] = new JsonObject { ["type"] = "annotated.string", ["value"] = $"{{{password}.value}}", ["filter"] = "uri" };

            var container = resources[mongo.Name]!.AsObject();
            var env = container["env"] as JsonObject ?? [];
            env[UserVariable] = user;
            env[PasswordVariable] = $"{{{password}.value}}";
            container["env"] = env;

            var binding = mongo.Bindings[0].Name;
            var address = $"{{{mongo.Name}.bindings.{binding}.host}}:{{{mongo.Name}.bindings.{binding}.port}}";
            foreach (var resource in resources.Select(r => r.Value!.AsObject()))
            {
                Rewrite(resource, "connectionString", address, user, encoded);
                foreach (var variable in (resource["env"] as JsonObject ?? []).Select(e => e.Key).ToList())
                {
                    Rewrite(resource["env"]!.AsObject(), variable, address, user, encoded);
                }
            }
        }

        return AspireManifest.Parse(new JsonObject { ["resources"] = resources }.ToJsonString());
    }

    /// <summary><c>mongodb://host:port/db</c> becomes <c>mongodb://user:{password}@host:port/db?authSource=admin</c>.</summary>
    private static void Rewrite(JsonObject owner, string property, string address, string user, string encodedPassword)
    {
        var prefix = "mongodb://" + address;
        if (owner[property] is not JsonValue value || value.ToString() is not { } text || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return;
        }

        var rest = text[prefix.Length..];
        rest = rest.Length == 0 ? "/?authSource=admin" : rest + (rest.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "authSource=admin";
        owner[property] = $"mongodb://{user}:{{{encodedPassword}.value}}@{address}{rest}";
    }
}
