using System.Text.Json;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace TaskFlow.Gateway.GraphQL;

/// <summary>
/// How many mutation fields a <c>POST /graphql</c> body would run: the root fields (every alias, fragments expanded)
/// of the operation it selects, when that is a mutation. Static, so <c>@skip</c>/<c>@include</c> are not evaluated (an
/// upper bound). Anything that is not a well-formed GraphQL request counts 0: the Graph service refuses it before
/// anything runs.
/// </summary>
public static class GraphQLMutationFields
{
    private static readonly ParserOptions Parsing = new() { Ignore = IgnoreOptions.All, MaxDepth = 128 };

    public static int Count(ReadOnlySpan<byte> body)
    {
        string? query;
        string? operationName;
        try
        {
            using var json = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("query", out var queryText) || queryText.ValueKind != JsonValueKind.String)
            {
                return 0;
            }

            query = queryText.GetString();
            operationName = json.RootElement.TryGetProperty("operationName", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (JsonException)
        {
            return 0;
        }

        return query is null ? 0 : Count(query, operationName);
    }

    public static int Count(string query, string? operationName)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, Parsing);
        }
        catch (GraphQLParserException)
        {
            return 0;
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is null
            ? (operations.Count == 1 ? operations[0] : null)
            : operations.FirstOrDefault(o => o.Name is { } name && name.StringValue == operationName);
        if (operation is not { Operation: OperationType.Mutation })
        {
            return 0;
        }

        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue)
            .ToDictionary(g => g.Key, g => g.First());
        return RootFields(operation.SelectionSet, fragments, []);
    }

    private static int RootFields(GraphQLSelectionSet set, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> expanding)
    {
        var count = 0;
        foreach (var selection in set.Selections)
        {
            count += selection switch
            {
                GraphQLField field => field.Name.StringValue == "__typename" ? 0 : 1,
                GraphQLInlineFragment inline => RootFields(inline.SelectionSet, fragments, expanding),
                GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                                                  && expanding.Add(fragment.FragmentName.Name.StringValue) =>
                    Expand(fragment, fragments, expanding),
                _ => 0,
            };
        }

        return count;
    }

    private static int Expand(GraphQLFragmentDefinition fragment, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> expanding)
    {
        var count = RootFields(fragment.SelectionSet, fragments, expanding);
        expanding.Remove(fragment.FragmentName.Name.StringValue);
        return count;
    }
}
