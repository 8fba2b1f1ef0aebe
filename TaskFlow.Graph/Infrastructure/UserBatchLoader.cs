using GraphQL.DataLoader;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// The DataLoader for users, one per GraphQL request. Resolvers (task owner and assignee, comment author) only queue
/// an id and return a pending result; the execution strategy completes pending results after the whole level of the
/// query has been resolved, so the first completion fetches every queued id in one <c>GET /users/batch</c> call
/// (100 ids per call). Answers are kept for the rest of the request.
/// </summary>
public sealed class UserBatchLoader(ServiceApi api)
{
    public const string Endpoint = "users.batch";

    private readonly Lock _gate = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<IReadOnlyDictionary<string, UserView>>> _batches = new(StringComparer.Ordinal);

    public IDataLoaderResult<UserView?> Load(string id)
    {
        lock (_gate)
        {
            if (!_batches.ContainsKey(id))
            {
                _queued.Add(id);
            }
        }

        return new PendingUser(this, id);
    }

    private async Task<UserView?> ResolveAsync(string id, CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<string, UserView>>? batch;
        lock (_gate)
        {
            if (!_batches.TryGetValue(id, out batch))
            {
                _queued.Add(id);
                var ids = _queued.ToArray();
                _queued.Clear();
                batch = FetchAsync(ids, cancellationToken);
                foreach (var queued in ids)
                {
                    _batches[queued] = batch;
                }
            }
        }

        var users = await batch;
        return users.GetValueOrDefault(id);
    }

    private async Task<IReadOnlyDictionary<string, UserView>> FetchAsync(string[] ids, CancellationToken cancellationToken)
    {
        using var activity = GraphTelemetry.StartResolver("User (batch)");
        activity?.SetTag("taskflow.users.count", ids.Length);
        var users = new Dictionary<string, UserView>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in ids.Chunk(GraphLimits.UserBatchSize))
        {
            var query = string.Join(',', chunk.Select(Uri.EscapeDataString));
            var page = await api.GetAsync<UserBatch>(Downstream.Users, Endpoint, $"/users/batch?ids={query}", cancellationToken);
            foreach (var user in page.Items)
            {
                users[user.Id] = user;
            }
        }

        return users;
    }

    private sealed class PendingUser(UserBatchLoader loader, string id) : IDataLoaderResult<UserView?>
    {
        public Task<UserView?> GetResultAsync(CancellationToken cancellationToken = default) => loader.ResolveAsync(id, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await loader.ResolveAsync(id, cancellationToken);
    }
}
