using TaskFlow.Manifests.Aspire;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>One key of the generated Secret and where its value comes from.</summary>
/// <param name="Key">The key (the parameter's or the derived resource's name).</param>
/// <param name="Description">For secrets.example.env.</param>
/// <param name="Generate">Aspire's generate rule, when the AppHost would have generated the value.</param>
/// <param name="DerivedFrom">For a URI-encoded copy: the key it encodes.</param>
/// <param name="File">For multi-line values: the git-ignored file the secretGenerator reads.</param>
public sealed record SecretKey(string Key, string Description, GenerateRule? Generate, string? DerivedFrom, SecretFile? File);

/// <summary>The Secret's keys, collected while values are resolved (only keys something refers to).</summary>
public sealed class SecretCatalog
{
    private readonly SortedDictionary<string, SecretKey> _keys = new(StringComparer.Ordinal);

    public IReadOnlyCollection<SecretKey> Keys => _keys.Values;

    public bool Contains(string key) => _keys.ContainsKey(key);

    public void Add(SecretKey key) => _keys.TryAdd(key.Key, key);
}
