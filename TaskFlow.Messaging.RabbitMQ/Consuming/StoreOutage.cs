using System.Data.Common;

namespace TaskFlow.Messaging.Consuming;

/// <summary>The default <see cref="IntegrationEventConsumerOptions.IsStoreOutage"/>.</summary>
public static class StoreOutage
{
    /// <summary>
    /// True when the exception, or one it wraps (inner exceptions, aggregates), is a transient database failure: the
    /// store was unavailable, the event itself is not at fault.
    /// </summary>
    public static bool IsTransientDatabaseFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Exception? current = exception;
        for (var depth = 0; current is not null && depth < 16; depth++)
        {
            switch (current)
            {
                case DbException { IsTransient: true }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 1:
                    return aggregate.InnerExceptions.Any(IsTransientDatabaseFailure);
            }

            current = current.InnerException;
        }

        return false;
    }
}
