namespace TaskFlow.Webhooks.Model;

/// <summary>
/// Who can see an event's task at event time, from what the event carries (API.md "Tasks": owner, assignee and
/// admins). After an update or reassignment that is the task's state after the change; a deleted task goes to whoever
/// could see it just before (its owner and assignee). Admins see every task (<see cref="KnownAdmin"/>).
/// </summary>
public static class TaskAudience
{
    public static IReadOnlyList<Guid> UsersWhoSee(IIntegrationEvent integrationEvent) => integrationEvent switch
    {
        TaskCreated e => Of(e.OwnerId, e.AssigneeId),
        TaskUpdated e => Of(e.OwnerId, e.AssigneeId),
        TaskAssigned e => Of(e.OwnerId, e.AssigneeId),
        TaskDeleted e => Of(e.OwnerId, e.AssigneeId),
        TaskCommentAdded e => Of(e.OwnerId, e.AssigneeId),
        _ => [],
    };

    private static Guid[] Of(Guid owner, Guid? assignee) =>
        assignee is Guid a && a != owner ? [owner, a] : [owner];
}
