using System.Globalization;
using GraphQL.DataLoader;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// The DataLoader behind <c>Task.comments</c> (first page, no <c>after</c>), one per GraphQL request. Like
/// <see cref="UserBatchLoader"/>: resolvers queue a task id and return a pending result, and after the level of the
/// query has been resolved the first completion fetches every queued task of the same page size with one
/// <c>GET /tasks/comments/batch</c> call (100 tasks per call), which applies the caller's visibility like
/// <c>GET /tasks/{id}/comments</c>. So comments of a page of 100 tasks cost one call, not 100.
/// </summary>
public sealed class CommentBatchLoader(ServiceApi api)
{
    public const string Endpoint = "tasks.comments.batch";

    private readonly Lock _gate = new();
    // Keyed by the page size asked for (0: the REST default); each size is its own batch.
    private readonly Dictionary<int, HashSet<string>> _queued = [];
    private readonly Dictionary<(int? Limit, string TaskId), Task<IReadOnlyDictionary<string, TaskCommentsPage>>> _batches = [];

    public IDataLoaderResult<GraphConnection<CommentView>> Load(string taskId, int? first)
    {
        lock (_gate)
        {
            if (!_batches.ContainsKey((first, taskId)))
            {
                Queue(first).Add(taskId);
            }
        }

        return new PendingComments(this, taskId, first);
    }

    private HashSet<string> Queue(int? first)
    {
        if (!_queued.TryGetValue(first ?? 0, out var queue))
        {
            _queued[first ?? 0] = queue = new HashSet<string>(StringComparer.Ordinal);
        }

        return queue;
    }

    private async Task<GraphConnection<CommentView>> ResolveAsync(string taskId, int? first, CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<string, TaskCommentsPage>>? batch;
        lock (_gate)
        {
            if (!_batches.TryGetValue((first, taskId), out batch))
            {
                var queue = Queue(first);
                queue.Add(taskId);
                var ids = queue.ToArray();
                queue.Clear();
                batch = FetchAsync(ids, first, cancellationToken);
                foreach (var queued in ids)
                {
                    _batches[(first, queued)] = batch;
                }
            }
        }

        var pages = await batch;
        // Listed a moment ago but not visible (or deleted) now: the same answer as GET /tasks/{id}/comments.
        return pages.TryGetValue(taskId, out var page)
            ? new GraphConnection<CommentView>(page.Items, new PageInfo(page.NextCursor is not null, page.NextCursor))
            : throw new GraphError(GraphErrorCodes.NotFound, "Not found.");
    }

    private async Task<IReadOnlyDictionary<string, TaskCommentsPage>> FetchAsync(string[] taskIds, int? first, CancellationToken cancellationToken)
    {
        using var activity = GraphTelemetry.StartResolver("Comment (batch)");
        activity?.SetTag("taskflow.tasks.count", taskIds.Length);
        var pages = new Dictionary<string, TaskCommentsPage>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in taskIds.Chunk(GraphLimits.CommentBatchSize))
        {
            var path = RestQuery.Path("/tasks/comments/batch",
                ("ids", string.Join(',', chunk)),
                ("limit", first?.ToString(CultureInfo.InvariantCulture)));
            var batch = await api.GetAsync<CommentBatch>(Downstream.Tasks, Endpoint, path, cancellationToken);
            foreach (var page in batch.Items)
            {
                pages[page.TaskId] = page;
            }
        }

        return pages;
    }

    private sealed class PendingComments(CommentBatchLoader loader, string taskId, int? first) : IDataLoaderResult<GraphConnection<CommentView>>
    {
        public Task<GraphConnection<CommentView>> GetResultAsync(CancellationToken cancellationToken = default) =>
            loader.ResolveAsync(taskId, first, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await loader.ResolveAsync(taskId, first, cancellationToken);
    }
}
