namespace TaskFlow.Graph.Schema;

/// <summary>
/// The REST TaskInput. Its values go to the Tasks service as they are, so every rule on them (lengths, tags, dates,
/// an existing assignee) is the service's own, reported as BAD_USER_INPUT.
/// </summary>
public sealed class TaskInputType : InputObjectGraphType
{
    public TaskInputType()
    {
        Name = "TaskInput";
        Field<NonNullGraphType<StringGraphType>>("title").Description("1-200 characters.");
        Field<StringGraphType>("description").Description("Up to 10000 characters.");
        Field<TaskStatusType>("status").Description("Default todo.");
        Field<TaskPriorityType>("priority").Description("Default medium.");
        Field<StringGraphType>("dueDate").Description("An ISO 8601 date or date-time.");
        Field<IdGraphType>("assigneeId").Description("An existing user.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Description("Up to 20 distinct tags of 1-50 characters.");
    }
}
