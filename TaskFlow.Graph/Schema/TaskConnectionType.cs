namespace TaskFlow.Graph.Schema;

public sealed class TaskConnectionType() : ConnectionType<TaskType, TaskView>("TaskConnection");
