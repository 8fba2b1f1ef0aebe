namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// Creates the collections' indexes before the service starts listening (hosted services start before the server),
/// retrying while MongoDB is not reachable yet. Idempotent, so every replica runs it at every start.
/// </summary>
public sealed partial class MongoIndexInitializer(TaskRepository tasks, CommentRepository comments, ILogger<MongoIndexInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await tasks.Collection.Indexes.CreateManyAsync(TaskIndexes.ForTasks(), cancellationToken);
                await comments.Collection.Indexes.CreateManyAsync(TaskIndexes.ForComments(), cancellationToken);
                LogIndexesReady(logger, attempt);
                return;
            }
            catch (Exception ex) when (ex is MongoConnectionException or TimeoutException && attempt < 30)
            {
                LogRetrying(logger, attempt, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "MongoDB indexes ready after {Attempt} attempt(s)")]
    private static partial void LogIndexesReady(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating MongoDB indexes failed (attempt {Attempt}, {Failure}); retrying")]
    private static partial void LogRetrying(ILogger logger, int attempt, string failure);
}
