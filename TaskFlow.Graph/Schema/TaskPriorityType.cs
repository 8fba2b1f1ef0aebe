namespace TaskFlow.Graph.Schema;

/// <summary>Spelled as in REST, so a value means the same in both APIs.</summary>
public sealed class TaskPriorityType : EnumerationGraphType
{
    public TaskPriorityType()
    {
        Name = "TaskPriority";
        Add("low", "low");
        Add("medium", "medium");
        Add("high", "high");
        Add("urgent", "urgent");
    }
}
