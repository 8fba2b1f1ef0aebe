using TaskFlow.Messaging.Contracts;

namespace TaskFlow.Tests.Messaging;

/// <summary>One realistic instance of every contract, with nullable fields both set and unset.</summary>
public static class SampleEvents
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static IEnumerable<IIntegrationEvent> All()
    {
        yield return new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Write the report", "todo", Guid.NewGuid(), 1, At);
        yield return new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), null, "No assignee", "in_progress", Guid.NewGuid(), 1, At);
        yield return new TaskUpdated(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, "Title", "done", "todo", Guid.NewGuid(), 3, At);
        yield return new TaskAssigned(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Title", Guid.NewGuid(), 2, At);
        yield return new TaskAssigned(Guid.NewGuid(), Guid.NewGuid(), null, Guid.NewGuid(), "Unassigned", Guid.NewGuid(), 2, At);
        yield return new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Gone", Guid.NewGuid(), 4, At);
        yield return new TaskCommentAdded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, "Title", TaskCommentAdded.ExcerptOf(new string('x', 500)), At);
        yield return new UserRegistered(Guid.NewGuid(), "ada@example.com", "Ada", ["user"], At);
        yield return new UserUpdated(Guid.NewGuid(), "ada@example.com", "Ada L.", ["user", "admin"], At);
    }
}
