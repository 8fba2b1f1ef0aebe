using System.Collections.Concurrent;
using System.Diagnostics;
using MongoDB.Driver.Core.Events;

namespace TaskFlow.Messaging.MongoDB;

/// <summary>
/// Driver commands as spans, but only those worth looking at: a command slower than the threshold or one that failed
/// becomes a client span (OpenTelemetry database conventions) with its real start time, under the span that was
/// current when it started. Fast, successful commands (nearly all of them, and every idle outbox sweep) record
/// nothing; their cost shows in the request span around them. Hand-shake commands are never traced.
/// </summary>
public sealed class MongoCommandTracer : IEventSubscriber
{
    public const string ActivitySourceName = "TaskFlow.MongoDB";

    public static readonly TimeSpan DefaultSlowThreshold = TimeSpan.FromMilliseconds(100);

    private static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly ReflectionEventSubscriber _inner;
    private readonly ConcurrentDictionary<int, Started> _started = new();
    private readonly TimeSpan _slowThreshold;

    public MongoCommandTracer(TimeSpan slowThreshold)
    {
        _slowThreshold = slowThreshold;
        _inner = new ReflectionEventSubscriber(this);
    }

    public bool TryGetEventHandler<TEvent>(out Action<TEvent> handler) => _inner.TryGetEventHandler(out handler);

    public void Handle(CommandStartedEvent e)
    {
        if (e.CommandName is "hello" or "isMaster" or "ismaster" or "saslStart" or "saslContinue" || !Source.HasListeners())
        {
            return;
        }

        var collection = e.Command.TryGetValue(e.CommandName, out var value) && value.IsString ? value.AsString : null;
        var endPoint = e.ConnectionId?.ServerId?.EndPoint as System.Net.DnsEndPoint;
        _started[e.RequestId] = new Started(
            e.CommandName, e.DatabaseNamespace.DatabaseName, collection, endPoint?.Host, endPoint?.Port,
            Activity.Current?.Context ?? default, DateTimeOffset.UtcNow);
    }

    public void Handle(CommandSucceededEvent e)
    {
        if (_started.TryRemove(e.RequestId, out var started) && e.Duration >= _slowThreshold)
        {
            Record(started, e.Duration, failure: null);
        }
    }

    public void Handle(CommandFailedEvent e)
    {
        if (_started.TryRemove(e.RequestId, out var started))
        {
            Record(started, e.Duration, e.Failure);
        }
    }

    private static void Record(Started started, TimeSpan duration, Exception? failure)
    {
        var name = $"{started.CommandName} {started.Collection ?? started.Database}";
        using var activity = Source.StartActivity(name, ActivityKind.Client, started.Parent, startTime: started.At);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("db.system", "mongodb");
        activity.SetTag("db.namespace", started.Database);
        activity.SetTag("db.operation.name", started.CommandName);
        if (started.Collection is not null)
        {
            activity.SetTag("db.collection.name", started.Collection);
        }

        if (started.Host is not null)
        {
            activity.SetTag("server.address", started.Host);
            activity.SetTag("server.port", started.Port);
        }

        if (failure is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
            activity.SetTag("error.type", failure is MongoCommandException mce ? mce.CodeName : failure.GetType().Name);
        }

        activity.SetEndTime(started.At.UtcDateTime + duration);
    }

    private sealed record Started(
        string CommandName, string Database, string? Collection, string? Host, int? Port, ActivityContext Parent, DateTimeOffset At);
}
