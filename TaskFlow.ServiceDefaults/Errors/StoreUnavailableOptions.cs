namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// The exceptions that mean a store is unreachable, answered 503 by <see cref="StoreUnavailableExceptionHandler"/>.
/// Redis (the session and idempotency store registered here) and timeouts are in from the start; a service adds the
/// exceptions of the other store clients it uses (Tasks adds MongoDB's, from <c>MongoDBClientExtensions</c>), so
/// ServiceDefaults references no client it does not register.
/// </summary>
public sealed class StoreUnavailableOptions
{
    /// <summary>An exception of one of these types (or derived from one) is a store outage.</summary>
    public List<Type> ExceptionTypes { get; } = [typeof(RedisException), typeof(TimeoutException)];

    public bool IsStoreUnavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ExceptionTypes.Any(type => type.IsInstanceOfType(exception));
    }
}
