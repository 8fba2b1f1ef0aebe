namespace TaskFlow.MongoStandIn.Storage;

internal sealed class DatabaseState(string name)
{
    public string Name { get; } = name;

    public object Sync { get; } = new();

    public ConcurrentDictionary<string, CollectionState> Collections { get; } = new(StringComparer.Ordinal);
}
