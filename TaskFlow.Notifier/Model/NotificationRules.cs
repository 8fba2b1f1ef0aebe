namespace TaskFlow.Notifier.Model;

/// <summary>
/// Who is notified, exactly as the API contract says:
/// <list type="bullet">
/// <item>task created: its assignee when set and not the creator; otherwise the creator;</item>
/// <item>task assigned to someone else (create or update): the new assignee (on create, that is the rule above);</item>
/// <item>status changed by someone other than the owner: the owner;</item>
/// <item>comment added: owner and assignee, except the comment's author.</item>
/// </list>
/// Pure: no I/O, so every rule is unit-tested.
/// </summary>
public static class NotificationRules
{
    private const int MaxExcerpt = 100;

    public static IReadOnlyList<NotificationIntent> For(IIntegrationEvent evt) => evt switch
    {
        TaskCreated e => ForCreated(e),
        TaskUpdated e => ForUpdated(e),
        TaskAssigned e => ForAssigned(e),
        TaskCommentAdded e => ForComment(e),
        _ => [],
    };

    public static IReadOnlyList<NotificationIntent> ForCreated(TaskCreated e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var creator = e.ActorId;
        return e.AssigneeId is Guid assignee && assignee != creator
            ? [new(assignee, NotificationTypes.TaskCreated, e.TaskId, $"New task assigned to you: \"{e.Title}\"", null)]
            : [new(creator, NotificationTypes.TaskCreated, e.TaskId, $"Task created: \"{e.Title}\"", null)];
    }

    public static IReadOnlyList<NotificationIntent> ForUpdated(TaskUpdated e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var intents = new List<NotificationIntent>(2);
        if (!string.Equals(e.Status, e.PreviousStatus, StringComparison.Ordinal) && e.ActorId != e.OwnerId)
        {
            intents.Add(new(
                e.OwnerId,
                NotificationTypes.StatusChanged,
                e.TaskId,
                $"Status of \"{e.Title}\" changed from {e.PreviousStatus} to {e.Status}",
                $"status:{e.TaskId}:{e.Version}"));
        }

        if (Assignment(e.TaskId, e.AssigneeId, e.PreviousAssigneeId, e.ActorId, e.Title, e.Version) is { } assigned)
        {
            intents.Add(assigned);
        }

        return intents;
    }

    public static IReadOnlyList<NotificationIntent> ForAssigned(TaskAssigned e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Assignment(e.TaskId, e.AssigneeId, e.PreviousAssigneeId, e.ActorId, e.Title, e.Version) is { } assigned ? [assigned] : [];
    }

    public static IReadOnlyList<NotificationIntent> ForComment(TaskCommentAdded e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var excerpt = e.Excerpt.Length <= MaxExcerpt ? e.Excerpt : e.Excerpt[..MaxExcerpt] + "…";
        var message = $"New comment on \"{e.Title}\": {excerpt}";
        return new[] { (Guid?)e.OwnerId, e.AssigneeId }
            .OfType<Guid>()
            .Distinct()
            .Where(recipient => recipient != e.AuthorId)
            .Select(recipient => new NotificationIntent(recipient, NotificationTypes.CommentAdded, e.TaskId, message, null))
            .ToList();
    }

    // Task updates carry the assignment in both task.updated and task.assigned (same version): the same dedup key
    // makes the pair produce one notification.
    private static NotificationIntent? Assignment(Guid taskId, Guid? assignee, Guid? previous, Guid actor, string title, long version) =>
        assignee is Guid newAssignee && newAssignee != previous && newAssignee != actor
            ? new(newAssignee, NotificationTypes.TaskAssigned, taskId, $"Task assigned to you: \"{title}\"", $"assigned:{taskId}:{version}:{newAssignee}")
            : null;
}
