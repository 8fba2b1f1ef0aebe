namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Wakes the outbox relays of this process right after a commit that staged events, so they publish at once; their
/// periodic sweep (<see cref="MessagingOptions.OutboxPollInterval"/>) is only a safety net for events staged by
/// another replica that stopped before relaying them, or left behind by a broker outage. EF Core outboxes are woken
/// automatically after SaveChanges; a MongoDB writer calls <see cref="Notify"/> after its write.
/// <para>Each relay remembers the <see cref="Generation"/> it saw before its round; a notification that arrives
/// during the round (while nobody waits) is not lost: the next wait returns at once.</para>
/// </summary>
public static class OutboxRelaySignal
{
    private static long _generation;
    private static TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many notifications this process has seen.</summary>
    public static long Generation => Volatile.Read(ref _generation);

    public static void Notify()
    {
        Interlocked.Increment(ref _generation);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Returns when a notification arrived after <paramref name="seen"/> was read, or after the timeout.</summary>
    internal static async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Read the waiter before checking the generation: a Notify in between either changed the generation (seen
        // here) or completes this very waiter.
        var next = Volatile.Read(ref _next);
        if (Generation != seen)
        {
            return;
        }

        try
        {
            await next.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
