namespace TaskFlow.Manifests;

/// <summary>The converted, validated files, or why there are none.</summary>
public sealed record Conversion(IReadOnlyList<ManifestFile> Files, IReadOnlyList<string> Errors, SecretCatalog Secrets)
{
    public bool Succeeded => Errors.Count == 0;

    public ManifestFile? File(string path) => Files.FirstOrDefault(f => f.Path == path);
}
