using GraphQLParser.AST;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>GET requests may only read: a mutation over GET is rejected before it executes (GraphQL over HTTP).</summary>
public sealed class QueryOnlyRule : ValidationRuleBase
{
    public static readonly QueryOnlyRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Operation.Operation != OperationType.Query)
        {
            context.ReportError(new MutationOverGetError());
        }

        return default;
    }
}
