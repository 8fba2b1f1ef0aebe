using System.Data.Common;

namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// The exceptions that mean a store is unreachable, answered 503 by <see cref="StoreUnavailableExceptionHandler"/>.
/// Redis (the session and idempotency store registered here) and timeouts are in from the start; a service adds the
/// exceptions of the other store clients it uses (Tasks adds MongoDB's, from <c>MongoDBClientExtensions</c>), so
/// ServiceDefaults references no client it does not register. A relational database that is down or unreachable
/// needs no registration: its ADO.NET provider reports it as a transient <see cref="DbException"/> (Npgsql: refused,
/// reset, shutting down), also when EF Core's retrying execution strategy wraps it after its last attempt.
/// </summary>
public sealed class StoreUnavailableOptions
{
    /// <summary>An exception of one of these types (or derived from one) is a store outage.</summary>
    public List<Type> ExceptionTypes { get; } = [typeof(RedisException), typeof(TimeoutException)];

    /// <summary>True when the exception, or one it wraps, is a store outage.</summary>
    public bool IsStoreUnavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } || ExceptionTypes.Any(type => type.IsInstanceOfType(current)))
            {
                return true;
            }
        }

        return false;
    }
}
