namespace TaskFlow.Messaging.Operations;

/// <summary>One dead-lettered message as an operator sees it: its event, why it died (e.g. rejected) and how often it was tried.</summary>
public sealed record DeadLetter(string? MessageId, string? EventType, string? Reason, int Attempts);
