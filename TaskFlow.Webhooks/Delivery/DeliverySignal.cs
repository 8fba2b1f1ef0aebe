namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// Wakes this replica's delivery worker at once when a delivery becomes due here (an event consumed, a redelivery,
/// an attempt finished and freed a slot); the worker's poll finds what other replicas scheduled and what retries are due.
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every notification before it.
        }
    }

    /// <summary>Waits for a notification or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
