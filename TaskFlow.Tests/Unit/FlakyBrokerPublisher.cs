using System.Collections.Concurrent;
using CloudNative.CloudEvents;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The broker edge of a relay test: while <see cref="Down"/> every publish throws as a lost connection does;
/// <see cref="SucceedBeforeFailing"/> lets that many publishes through before the broker goes down.
/// </summary>
public sealed class FlakyBrokerPublisher : IIntegrationEventPublisher
{
    private int _allowance = int.MaxValue;
    private int _failures;
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public ConcurrentQueue<string> Published { get; } = new();

    public int Failures => Volatile.Read(ref _failures);

    public void SucceedBeforeFailing(int publishes) => Volatile.Write(ref _allowance, publishes);

    public Task PublishAsync(CloudEvent envelope, CancellationToken cancellationToken)
    {
        if (_down || Interlocked.Decrement(ref _allowance) < 0)
        {
            Interlocked.Increment(ref _failures);
            throw new IOException("broker unreachable");
        }

        Published.Enqueue(envelope.Id!);
        return Task.CompletedTask;
    }

    public Task PublishAsync<TEvent>(TEvent data, string subject, CancellationToken cancellationToken) where TEvent : class, IIntegrationEvent =>
        throw new NotSupportedException("the relay publishes stored envelopes only");
}
