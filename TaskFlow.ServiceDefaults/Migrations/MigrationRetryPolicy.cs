using System.Data.Common;
using Polly;
using Polly.Retry;

namespace TaskFlow.ServiceDefaults.Migrations;

/// <summary>
/// When <see cref="DatabaseMigrator{TContext}"/> tries again: only while the database is not reachable yet (the
/// server still starting, the database not created yet: the AppHost creates it once the server is up), a bounded
/// number of times, waiting a second longer after each attempt. Any other failure (a broken migration, a hook that
/// throws) fails the start at once.
/// </summary>
public sealed class MigrationRetryPolicy(int maxAttempts, TimeSpan maxDelay)
{
    /// <summary>Ten attempts over about 40 seconds.</summary>
    public static MigrationRetryPolicy Default { get; } = new(10, TimeSpan.FromSeconds(5));

    public int MaxAttempts { get; } = maxAttempts;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): that many seconds, at most the maximum.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var delay = TimeSpan.FromSeconds(attempt);
        return delay < maxDelay ? delay : maxDelay;
    }

    public bool ShouldRetry(Exception exception, int attempt) => attempt < MaxAttempts && IsDatabaseUnreachable(exception);

    /// <summary>
    /// A database error (anywhere in the chain: EF Core wraps provider errors) that the provider marks transient
    /// (connection refused, timeouts, too many connections), or whose SQLSTATE says no connection could be made
    /// (class 08), the database does not exist yet (3D000) or the server is starting (57P03).
    /// </summary>
    public static bool IsDatabaseUnreachable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true })
            {
                return true;
            }

            if (current is DbException { SqlState: string state } &&
                (state.StartsWith("08", StringComparison.Ordinal) || state is "3D000" or "57P03"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, retrying (a Polly retry) while <see cref="ShouldRetry"/> says so.</summary>
    public async Task ExecuteAsync(
        Func<CancellationToken, Task> attempt,
        Action<int, TimeSpan, Exception> onRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(onRetry);
        var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, MaxAttempts - 1),
            // Polly numbers retries from 0: the retry after attempt n is AttemptNumber n - 1.
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } failure && !args.Context.CancellationToken.IsCancellationRequested
                && ShouldRetry(failure, args.AttemptNumber + 1)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayAfter(args.AttemptNumber + 1)),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is { } failure)
                {
                    onRetry(args.AttemptNumber + 1, args.RetryDelay, failure);
                }

                return ValueTask.CompletedTask;
            },
        }).Build();
        await pipeline.ExecuteAsync(async ct => await attempt(ct), cancellationToken);
    }
}
