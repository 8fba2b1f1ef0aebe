namespace TaskFlow.Manifests;

/// <summary>Aspire manifest in, deploy/k8s out: generation, then validation of everything generated.</summary>
public static class ManifestConverter
{
    public static Conversion Convert(AspireManifest manifest, DeploymentSettings settings, MonitoringSources? monitoring)
    {
        var generator = new KubernetesGenerator(MongoAuthentication.Apply(manifest, settings.Mongo.User), settings);
        var files = generator.Generate().ToList();
        if (monitoring is not null)
        {
            files.AddRange(MonitoringGenerator.Generate(monitoring, settings, generator.Services));
        }

        var secrets = new Dictionary<string, IReadOnlySet<string>>
        {
            [KubernetesGenerator.SecretName] = generator.Secrets.Keys.Select(k => k.Key).ToHashSet(),
            [MonitoringGenerator.GrafanaSecret] = new HashSet<string> { MonitoringGenerator.GrafanaSecretKey },
        };
        var errors = generator.Errors.Concat(ManifestValidator.Validate(files, secrets)).Distinct().ToList();
        return new Conversion(files, errors, generator.Secrets);
    }
}
