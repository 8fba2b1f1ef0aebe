namespace TaskFlow.Webhooks.Model;

/// <summary>
/// A task event as the batch statement needs it: its id and type, who can see the task at event time
/// (<see cref="TaskAudience"/>; admins are added by the statement) and the delivery body every attempt sends.
/// </summary>
public sealed record ScheduledTaskEvent(Guid EventId, string EventType, IReadOnlyList<Guid> Audience, string Body);
