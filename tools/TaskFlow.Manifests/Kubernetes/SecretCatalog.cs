using TaskFlow.Manifests.Aspire;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>How a derived key is computed from its source.</summary>
public enum SecretEncoding
{
    /// <summary>Percent-encoding (RFC 3986 unreserved characters kept): for the userinfo of a URI.</summary>
    Uri,

    /// <summary><c>"value"</c> with '"' doubled: an ADO.NET connection string value that may hold ';', '=' or quotes.</summary>
    ConnectionStringQuoted,
}

/// <summary>A character a secret must not contain, because one of its uses cannot escape it.</summary>
public sealed record SecretConstraint(string Forbidden, string Reason);

/// <summary>One key of the generated Secret and where its value comes from.</summary>
/// <param name="Key">The key (the parameter's or the derived resource's name).</param>
/// <param name="Description">For secrets.example.env.</param>
/// <param name="Generate">Aspire's generate rule, when the AppHost would have generated the value.</param>
/// <param name="DerivedFrom">For an encoded copy: the key it encodes (computed by the <c>secrets</c> command, never by hand).</param>
/// <param name="File">For multi-line values: the git-ignored file the secretGenerator reads.</param>
/// <param name="Encoding">For an encoded copy: how it is computed.</param>
public sealed record SecretKey(string Key, string Description, GenerateRule? Generate, string? DerivedFrom, SecretFile? File, SecretEncoding? Encoding = null);

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
