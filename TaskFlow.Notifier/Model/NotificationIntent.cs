namespace TaskFlow.Notifier.Model;

/// <summary>Who is to be told what about one event, before it is stored.</summary>
public sealed record NotificationIntent(Guid RecipientId, string Type, Guid TaskId, string Message, string? DedupKey);
