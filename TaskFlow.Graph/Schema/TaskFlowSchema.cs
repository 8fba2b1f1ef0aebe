namespace TaskFlow.Graph.Schema;

/// <summary>The TaskFlow GraphQL schema (API.md "GraphQL"): every field is answered by the services' REST APIs.</summary>
public sealed class TaskFlowSchema : GraphQL.Types.Schema
{
    public TaskFlowSchema()
    {
        Query = new QueryType();
        Mutation = new MutationType();
        Description = "TaskFlow: tasks, comments, users and notifications, with the visibility and permissions of the REST API.";
    }
}
