namespace TaskFlow.Graph.Schema;

/// <summary>The TaskFlow GraphQL schema (API.md "GraphQL"): every field is answered by the services' REST APIs.</summary>
public sealed class TaskFlowSchema : GraphQL.Types.Schema
{
    public TaskFlowSchema()
    {
        Query = new QueryType();
        Mutation = new MutationType();
        // No schema description: graphql-js's standard introspection query (getIntrospectionQuery() with its defaults)
        // does not ask for one, so a client's schema would differ from the SDL. The Query type carries it instead.
    }
}
