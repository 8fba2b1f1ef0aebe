using TaskFlow.Tasks.Model;

namespace TaskFlow.Tests.Tasks;

[Trait("Category", "Unit")]
public sealed class TaskVisibilityTests
{
    private const string Owner = "00000000-0000-0000-0000-0000000000a1";
    private const string Assignee = "00000000-0000-0000-0000-0000000000b2";
    private const string Stranger = "00000000-0000-0000-0000-0000000000c3";
    private const string Admin = "00000000-0000-0000-0000-0000000000d4";

    private static readonly TaskHead Task = new("00000000-0000-0000-0000-000000000001", Owner, Assignee, 3);

    [Theory]
    [InlineData(Owner, false, TaskAction.View, TaskAccess.Allowed)]
    [InlineData(Owner, false, TaskAction.Edit, TaskAccess.Allowed)]
    [InlineData(Owner, false, TaskAction.Comment, TaskAccess.Allowed)]
    [InlineData(Owner, false, TaskAction.Delete, TaskAccess.Allowed)]
    [InlineData(Assignee, false, TaskAction.View, TaskAccess.Allowed)]
    [InlineData(Assignee, false, TaskAction.Edit, TaskAccess.Allowed)]
    [InlineData(Assignee, false, TaskAction.Comment, TaskAccess.Allowed)]
    [InlineData(Assignee, false, TaskAction.Delete, TaskAccess.Forbidden)]
    [InlineData(Stranger, false, TaskAction.View, TaskAccess.NotVisible)]
    [InlineData(Stranger, false, TaskAction.Edit, TaskAccess.NotVisible)]
    [InlineData(Stranger, false, TaskAction.Comment, TaskAccess.NotVisible)]
    [InlineData(Stranger, false, TaskAction.Delete, TaskAccess.NotVisible)]
    [InlineData(Admin, true, TaskAction.View, TaskAccess.Allowed)]
    [InlineData(Admin, true, TaskAction.Delete, TaskAccess.Allowed)]
    [InlineData(Admin, true, TaskAction.Edit, TaskAccess.Forbidden)]
    [InlineData(Admin, true, TaskAction.Comment, TaskAccess.Forbidden)]
    public void Access_follows_the_api_rules(string userId, bool isAdmin, TaskAction action, TaskAccess expected) =>
        Assert.Equal(expected, TaskVisibility.Decide(Task, new Caller(userId, isAdmin), action));

    [Fact]
    public void An_unassigned_task_is_not_visible_to_a_caller_with_no_id_match()
    {
        var unassigned = Task with { AssigneeId = null };
        Assert.Equal(TaskAccess.NotVisible, TaskVisibility.Decide(unassigned, new Caller(Assignee, false), TaskAction.View));
    }

    [Fact]
    public void An_admin_who_owns_the_task_may_edit_it()
    {
        var own = Task with { OwnerId = Admin };
        Assert.Equal(TaskAccess.Allowed, TaskVisibility.Decide(own, new Caller(Admin, true), TaskAction.Edit));
    }

    [Fact]
    public void List_scope_is_everything_for_admins_and_owned_or_assigned_otherwise()
    {
        Assert.Null(TaskVisibility.ScopeFor(new Caller(Admin, true)).UserId);
        Assert.Equal(Stranger, TaskVisibility.ScopeFor(new Caller(Stranger, false)).UserId);
    }

    [Fact]
    public void Caller_requires_a_uuid_subject_and_reads_the_admin_role()
    {
        static System.Security.Claims.ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
            new(new System.Security.Claims.ClaimsIdentity(
                claims.Select(c => new System.Security.Claims.Claim(c.Type, c.Value)), "test", "name", "role"));

        Assert.Null(Caller.From(Principal()));
        Assert.Null(Caller.From(Principal(("sub", "not-a-uuid"))));
        Assert.Equal(new Caller(Owner, false), Caller.From(Principal(("sub", Owner.ToUpperInvariant()), ("role", "user"))));
        Assert.Equal(new Caller(Admin, true), Caller.From(Principal(("sub", Admin), ("role", "user"), ("role", "admin"))));
    }
}
