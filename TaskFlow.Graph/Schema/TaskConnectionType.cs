using GraphQL.Types;
using TaskFlow.Graph.Model;

namespace TaskFlow.Graph.Schema;

public sealed class TaskConnectionType() : ConnectionType<TaskType, TaskView>("TaskConnection");
