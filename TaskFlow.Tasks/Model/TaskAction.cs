namespace TaskFlow.Tasks.Model;

public enum TaskAction
{
    View,
    Edit,
    Comment,
    Delete,
}
