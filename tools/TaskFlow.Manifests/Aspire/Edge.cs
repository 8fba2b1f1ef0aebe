namespace TaskFlow.Manifests.Aspire;

/// <summary>One resource reaching an endpoint of another (a NetworkPolicy allow rule).</summary>
public sealed record Edge(string From, string To, string Binding, int Port) : IComparable<Edge>
{
    public int CompareTo(Edge? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
}
