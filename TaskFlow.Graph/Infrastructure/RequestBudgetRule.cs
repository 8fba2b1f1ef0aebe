using GraphQLParser;
using GraphQLParser.AST;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// API.md's limits on one request, checked after the standard rules and before anything executes: at most
/// <see cref="GraphLimits.MaxDownstreamCalls"/> REST calls (each field's <see cref="DownstreamCost"/>, every alias
/// counted, a list at its <c>first</c>, nested lists multiplied), at most <see cref="GraphLimits.MaxMutationFields"/>
/// mutation fields, and at most <see cref="GraphLimits.MaxDepth"/> levels, where <c>__schema</c>, <c>__type</c> and what
/// is under them do not count (so the standard introspection queries of graphql-js and other tools pass; their size
/// is bounded by the complexity rule instead).
/// </summary>
public sealed class RequestBudgetRule : ValidationRuleBase
{
    public static readonly RequestBudgetRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // After the standard rules: a document that failed them (unknown fields, fragment cycles) is not walked.
        if (!context.HasErrors)
        {
            var budget = Measure(context);
            if (budget.Depth > GraphLimits.MaxDepth)
            {
                context.ReportError(new RequestBudgetError(
                    $"The query is {budget.Depth} levels deep; at most {GraphLimits.MaxDepth} are allowed (introspection fields do not count)."));
            }

            if (budget.MutationFields > GraphLimits.MaxMutationFields)
            {
                context.ReportError(new RequestBudgetError(
                    $"The request holds {budget.MutationFields} mutation fields; at most {GraphLimits.MaxMutationFields} are allowed in one request."));
            }

            if (budget.DownstreamCalls > GraphLimits.MaxDownstreamCalls)
            {
                context.ReportError(new RequestBudgetError(
                    $"The request could make {budget.DownstreamCalls} calls to the services; at most {GraphLimits.MaxDownstreamCalls} are allowed " +
                    "(every alias counts, a list counts at its first, nested lists multiply)."));
            }
        }

        return default;
    }

    /// <summary>The operation's depth (introspection excepted), root mutation fields and downstream calls.</summary>
    public static (int Depth, int MutationFields, long DownstreamCalls) Measure(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var walk = new Walk(context);
        var root = context.Operation.Operation switch
        {
            OperationType.Mutation => context.Schema.Mutation,
            OperationType.Subscription => context.Schema.Subscription,
            _ => context.Schema.Query,
        };
        if (root is not null)
        {
            walk.Selections(context.Operation.SelectionSet, root, parents: 1, depth: 1, introspection: false);
        }

        return (walk.Depth, context.Operation.Operation == OperationType.Mutation ? walk.RootFields : 0, (long)Math.Ceiling(walk.Calls));
    }

    private sealed class Walk(ValidationContext context)
    {
        private readonly HashSet<GraphQLFragmentDefinition> _inFragment = [];

        public double Calls { get; private set; }

        public int Depth { get; private set; }

        public int RootFields { get; private set; }

        public void Selections(GraphQLSelectionSet set, IGraphType parentType, double parents, int depth, bool introspection)
        {
            foreach (var selection in set.Selections)
            {
                if (!context.ShouldIncludeNode(selection))
                {
                    continue;
                }

                switch (selection)
                {
                    case GraphQLField field:
                        Field(field, parentType, parents, depth, introspection);
                        break;
                    case GraphQLInlineFragment inline:
                        Selections(inline.SelectionSet, TypeOf(inline.TypeCondition) ?? parentType, parents, depth, introspection);
                        break;
                    case GraphQLFragmentSpread spread when context.Document.FindFragmentDefinition(spread.FragmentName.Name.Value) is { } fragment
                                                           && _inFragment.Add(fragment):
                        Selections(fragment.SelectionSet, TypeOf(fragment.TypeCondition) ?? parentType, parents, depth, introspection);
                        _inFragment.Remove(fragment);
                        break;
                }
            }
        }

        private void Field(GraphQLField field, IGraphType parentType, double parents, int depth, bool introspection)
        {
            var name = field.Name.StringValue;
            if (depth == 1 && name != "__typename")
            {
                RootFields++;
            }

            introspection |= name is "__schema" or "__type";
            if (!introspection)
            {
                Depth = Math.Max(Depth, depth);
            }

            var definition = name switch
            {
                "__schema" => context.Schema.SchemaMetaFieldType,
                "__type" => context.Schema.TypeMetaFieldType,
                "__typename" => null,
                _ => (parentType as IComplexGraphType)?.GetField(name),
            };
            if (definition is null)
            {
                return;
            }

            var children = parents;
            if (definition.GetMetadata<DownstreamCost?>(DownstreamCost.MetadataKey) is { } cost)
            {
                var arguments = context.ArgumentValues?.TryGetValue(field, out var values) == true ? values : null;
                var unbatched = cost.UnbatchedWith is { } argument && arguments?.TryGetValue(argument, out var given) == true && given.Value is not null;
                Calls += cost.CallsFor(parents, unbatched);
                if (cost.PagedBy is { } paging)
                {
                    children *= PageSize(arguments?.TryGetValue(paging, out var first) == true ? first.Value : null);
                }
            }

            if (field.SelectionSet is { } selections && definition.ResolvedType?.GetNamedType() is { } type)
            {
                Selections(selections, type, children, depth + 1, introspection);
            }
        }

        private IGraphType? TypeOf(GraphQLTypeCondition? condition) =>
            condition is null ? null : context.Schema.AllTypes[condition.Type.Name.StringValue];

        /// <summary>What a page of the REST list can hold: the given size within 1-100, or the default 20.</summary>
        private static int PageSize(object? first) => first switch
        {
            int size => Math.Clamp(size, 1, GraphLimits.MaxPageSize),
            long size => (int)Math.Clamp(size, 1, GraphLimits.MaxPageSize),
            _ => GraphLimits.DefaultPageSize,
        };
    }
}
