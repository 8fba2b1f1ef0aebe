namespace TaskFlow.Tasks.Model;

/// <summary>
/// API.md's rules in one place: a task is visible to its owner, its assignee and admins; owner and assignee may
/// edit and comment; only the owner or an admin may delete. An admin who is neither owner nor assignee sees the
/// task but may not edit or comment on it (API.md grants admins visibility and deletion only).
/// </summary>
public static class TaskVisibility
{
    public static TaskAccess Decide(TaskHead task, Caller caller, TaskAction action)
    {
        var isOwner = string.Equals(task.OwnerId, caller.UserId, StringComparison.Ordinal);
        var isAssignee = task.AssigneeId is not null && string.Equals(task.AssigneeId, caller.UserId, StringComparison.Ordinal);
        if (!isOwner && !isAssignee && !caller.IsAdmin)
        {
            return TaskAccess.NotVisible;
        }

        var allowed = action switch
        {
            TaskAction.View => true,
            TaskAction.Edit or TaskAction.Comment => isOwner || isAssignee,
            TaskAction.Delete => isOwner || caller.IsAdmin,
            _ => false,
        };
        return allowed ? TaskAccess.Allowed : TaskAccess.Forbidden;
    }

    /// <summary>Which tasks a list may contain: all of them for an admin, otherwise owned or assigned ones.</summary>
    public static ListScope ScopeFor(Caller caller) =>
        caller.IsAdmin ? ListScope.Everything : ListScope.OwnedOrAssigned(caller.UserId);
}
