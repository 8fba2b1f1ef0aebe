namespace TaskFlow.Tasks.Model;

/// <summary>What a caller may do with a task.</summary>
public enum TaskAccess
{
    /// <summary>The task does not exist for this caller: answer 404, never revealing that it exists.</summary>
    NotVisible,

    /// <summary>The caller sees the task but may not perform the action: 403.</summary>
    Forbidden,

    Allowed,
}
