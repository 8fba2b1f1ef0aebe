using TaskFlow.Messaging.Contracts;
using TaskFlow.Notifier.Model;

namespace TaskFlow.Tests.Notifications;

[Trait("Category", "Unit")]
public sealed class NotificationRulesTests
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Assignee = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();
    private static readonly Guid TaskId = Guid.NewGuid();
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void Task_created_with_another_assignee_notifies_only_the_assignee()
    {
        var intents = NotificationRules.For(new TaskCreated(TaskId, Owner, Assignee, "T", "todo", Owner, 1, Now));
        var only = Assert.Single(intents);
        Assert.Equal(Assignee, only.RecipientId);
        Assert.Equal(NotificationTypes.TaskCreated, only.Type);
        Assert.Equal(TaskId, only.TaskId);
        Assert.Contains("\"T\"", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Task_created_without_assignee_notifies_the_creator()
    {
        var only = Assert.Single(NotificationRules.For(new TaskCreated(TaskId, Owner, null, "T", "todo", Owner, 1, Now)));
        Assert.Equal(Owner, only.RecipientId);
        Assert.Equal(NotificationTypes.TaskCreated, only.Type);
    }

    [Fact]
    public void Task_created_assigned_to_the_creator_notifies_the_creator_once()
    {
        var only = Assert.Single(NotificationRules.For(new TaskCreated(TaskId, Owner, Owner, "T", "todo", Owner, 1, Now)));
        Assert.Equal(Owner, only.RecipientId);
    }

    [Fact]
    public void Status_changed_by_someone_other_than_the_owner_notifies_the_owner()
    {
        var only = Assert.Single(NotificationRules.For(new TaskUpdated(TaskId, Owner, Assignee, Assignee, "T", "done", "todo", Assignee, 2, Now)));
        Assert.Equal(Owner, only.RecipientId);
        Assert.Equal(NotificationTypes.StatusChanged, only.Type);
        Assert.Contains("todo", only.Message, StringComparison.Ordinal);
        Assert.Contains("done", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_changed_by_the_owner_notifies_nobody()
    {
        Assert.Empty(NotificationRules.For(new TaskUpdated(TaskId, Owner, Assignee, Assignee, "T", "done", "todo", Owner, 2, Now)));
    }

    [Fact]
    public void Update_without_status_or_assignee_change_notifies_nobody()
    {
        Assert.Empty(NotificationRules.For(new TaskUpdated(TaskId, Owner, Assignee, Assignee, "New title", "todo", "todo", Assignee, 2, Now)));
    }

    [Fact]
    public void Update_that_reassigns_to_someone_else_notifies_the_new_assignee()
    {
        var only = Assert.Single(NotificationRules.For(new TaskUpdated(TaskId, Owner, Other, Assignee, "T", "todo", "todo", Owner, 3, Now)));
        Assert.Equal(Other, only.RecipientId);
        Assert.Equal(NotificationTypes.TaskAssigned, only.Type);
    }

    [Fact]
    public void Assigning_to_yourself_notifies_nobody()
    {
        Assert.Empty(NotificationRules.For(new TaskAssigned(TaskId, Owner, Assignee, null, "T", Assignee, 2, Now)));
        Assert.Empty(NotificationRules.For(new TaskUpdated(TaskId, Owner, Owner, null, "T", "todo", "todo", Owner, 2, Now)));
    }

    [Fact]
    public void Unassigning_notifies_nobody()
    {
        Assert.Empty(NotificationRules.For(new TaskAssigned(TaskId, Owner, null, Assignee, "T", Owner, 2, Now)));
    }

    [Fact]
    public void Status_change_and_reassignment_by_a_third_party_notify_owner_and_new_assignee()
    {
        var intents = NotificationRules.For(new TaskUpdated(TaskId, Owner, Other, Assignee, "T", "in_progress", "todo", Assignee, 4, Now));
        Assert.Equal(2, intents.Count);
        Assert.Contains(intents, i => i.RecipientId == Owner && i.Type == NotificationTypes.StatusChanged);
        Assert.Contains(intents, i => i.RecipientId == Other && i.Type == NotificationTypes.TaskAssigned);
    }

    [Fact]
    public void Task_updated_and_task_assigned_for_the_same_change_share_one_dedup_key()
    {
        var fromUpdated = Assert.Single(NotificationRules.For(new TaskUpdated(TaskId, Owner, Other, Assignee, "T", "todo", "todo", Owner, 5, Now)));
        var fromAssigned = Assert.Single(NotificationRules.For(new TaskAssigned(TaskId, Owner, Other, Assignee, "T", Owner, 5, Now)));
        Assert.NotNull(fromUpdated.DedupKey);
        Assert.Equal(fromUpdated.DedupKey, fromAssigned.DedupKey);

        var laterReassignment = Assert.Single(NotificationRules.For(new TaskAssigned(TaskId, Owner, Other, Assignee, "T", Owner, 7, Now)));
        Assert.NotEqual(fromAssigned.DedupKey, laterReassignment.DedupKey);
    }

    [Fact]
    public void Comment_notifies_owner_and_assignee_except_the_author()
    {
        var byAssignee = NotificationRules.For(new TaskCommentAdded(TaskId, Guid.NewGuid(), Assignee, Owner, Assignee, "T", "hello", Now));
        Assert.Equal([Owner], byAssignee.Select(i => i.RecipientId));

        var byOwner = NotificationRules.For(new TaskCommentAdded(TaskId, Guid.NewGuid(), Owner, Owner, Assignee, "T", "hello", Now));
        Assert.Equal([Assignee], byOwner.Select(i => i.RecipientId));

        var byThirdParty = NotificationRules.For(new TaskCommentAdded(TaskId, Guid.NewGuid(), Other, Owner, Assignee, "T", "hello", Now));
        Assert.Equal(new[] { Owner, Assignee }.Order(), byThirdParty.Select(i => i.RecipientId).Order());
        Assert.All(byThirdParty, i => Assert.Equal(NotificationTypes.CommentAdded, i.Type));
        Assert.All(byThirdParty, i => Assert.Contains("hello", i.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Comment_on_an_unassigned_task_by_its_owner_notifies_nobody()
    {
        Assert.Empty(NotificationRules.For(new TaskCommentAdded(TaskId, Guid.NewGuid(), Owner, Owner, null, "T", "note to self", Now)));
    }

    [Fact]
    public void Comment_when_owner_is_assignee_notifies_them_once()
    {
        var only = Assert.Single(NotificationRules.For(new TaskCommentAdded(TaskId, Guid.NewGuid(), Other, Owner, Owner, "T", "hi", Now)));
        Assert.Equal(Owner, only.RecipientId);
    }

    [Fact]
    public void Deleted_tasks_and_user_events_notify_nobody()
    {
        Assert.Empty(NotificationRules.For(new TaskDeleted(TaskId, Owner, Assignee, "T", Owner, 3, Now)));
        Assert.Empty(NotificationRules.For(new UserRegistered(Owner, "a@b.c", "A", ["user"], Now)));
    }
}
