namespace TaskFlow.Tests.Edge;

/// <summary>One server-sent event as the wire carries it (a comment line is an event with only <see cref="Comment"/>).</summary>
public sealed record SseEvent(string? Id, string? Event, string? Data, string? Comment);
