namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Wakes the outbox relays of this process at once instead of at their next poll. EF Core outboxes are woken
/// automatically after SaveChanges; a MongoDB writer calls <see cref="Notify"/> after its write.
/// </summary>
public static class OutboxRelaySignal
{
    private static TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Notify() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits until notified or until the timeout passes.</summary>
    internal static async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _signal);
        if (!current.Task.IsCompleted)
        {
            try
            {
                await current.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                return;
            }
        }

        Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}
