using System.Collections.Concurrent;
using System.Threading.Channels;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// The live streams open on THIS replica, by user. Fed by <see cref="NotificationFanout"/>, which hears every new
/// notification of every replica through PostgreSQL NOTIFY.
/// </summary>
public sealed class NotificationStreamHub
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> _byUser = new();

    /// <summary>Identifies this replica in the stream's opening comment (useful when checking fan-out).</summary>
    public string ReplicaId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public int SubscriberCount => _byUser.Values.Sum(s => s.Count);

    public Subscription Subscribe(Guid userId)
    {
        var subscription = new Subscription(this, userId);
        _byUser.GetOrAdd(userId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    public bool HasSubscribers(Guid userId) => _byUser.TryGetValue(userId, out var subscriptions) && !subscriptions.IsEmpty;

    public void Publish(Guid userId, NotificationView notification)
    {
        if (_byUser.TryGetValue(userId, out var subscriptions))
        {
            foreach (var subscription in subscriptions.Keys)
            {
                // A client too slow to keep up loses the oldest live events; its inbox still has them.
                subscription.Writer.TryWrite(notification);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        if (_byUser.TryGetValue(subscription.UserId, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly NotificationStreamHub _hub;
        private readonly Channel<NotificationView> _channel = Channel.CreateBounded<NotificationView>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal Subscription(NotificationStreamHub hub, Guid userId)
        {
            _hub = hub;
            UserId = userId;
        }

        public Guid UserId { get; }

        public ChannelReader<NotificationView> Reader => _channel.Reader;

        internal ChannelWriter<NotificationView> Writer => _channel.Writer;

        public void Dispose()
        {
            _hub.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
