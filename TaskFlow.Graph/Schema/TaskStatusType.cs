namespace TaskFlow.Graph.Schema;

/// <summary>Spelled as in REST, so a value means the same in both APIs.</summary>
public sealed class TaskStatusType : EnumerationGraphType
{
    public TaskStatusType()
    {
        Name = "TaskStatus";
        Add("todo", "todo");
        Add("in_progress", "in_progress");
        Add("done", "done");
    }
}
