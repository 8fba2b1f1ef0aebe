namespace TaskFlow.Notifier.Model;

/// <summary>One page of the inbox; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, string? NextCursor);
