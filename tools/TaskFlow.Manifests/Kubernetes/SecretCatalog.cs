namespace TaskFlow.Manifests.Kubernetes;

/// <summary>The Secret's keys, collected while values are resolved (only keys something refers to).</summary>
public sealed class SecretCatalog
{
    private readonly SortedDictionary<string, SecretKey> _keys = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<SecretConstraint>> _constraints = new(StringComparer.Ordinal);

    public IReadOnlyCollection<SecretKey> Keys => _keys.Values;

    /// <summary>Keys an operator provides (in secrets.env or a file); the others are derived from them.</summary>
    public IEnumerable<SecretKey> Sources => _keys.Values.Where(k => k.DerivedFrom is null);

    public IEnumerable<SecretKey> Derived => _keys.Values.Where(k => k.DerivedFrom is not null);

    public bool Contains(string key) => _keys.ContainsKey(key);

    public SecretKey? Find(string key) => _keys.GetValueOrDefault(key);

    public void Add(SecretKey key) => _keys.TryAdd(key.Key, key);

    public void Constrain(string key, SecretConstraint constraint)
    {
        if (!_constraints.TryGetValue(key, out var list))
        {
            _constraints[key] = list = [];
        }

        if (!list.Any(c => c.Forbidden == constraint.Forbidden))
        {
            list.Add(constraint);
        }
    }

    public IReadOnlyList<SecretConstraint> ConstraintsOf(string key) => _constraints.GetValueOrDefault(key) ?? [];
}
