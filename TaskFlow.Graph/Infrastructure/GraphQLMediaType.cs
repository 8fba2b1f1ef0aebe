using Microsoft.Net.Http.Headers;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// GraphQL over HTTP's two response media types: <c>application/graphql-response+json</c> when the client's
/// <c>Accept</c> prefers it (at least as high a quality as <c>application/json</c>, wildcards counting for JSON),
/// <c>application/json</c> otherwise, the legacy default for clients that send no <c>Accept</c>, <c>*/*</c> or
/// anything else.
/// </summary>
public static class GraphQLMediaType
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";

    public static string Negotiate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        double graphql = 0, json = 0;
        foreach (var accepted in request.GetTypedHeaders().Accept)
        {
            var quality = accepted.Quality ?? 1;
            var type = accepted.MediaType.Value;
            if (string.Equals(type, GraphQLResponse, StringComparison.OrdinalIgnoreCase))
            {
                graphql = Math.Max(graphql, quality);
            }
            else if (string.Equals(type, Json, StringComparison.OrdinalIgnoreCase) || accepted.MatchesAllSubTypes)
            {
                json = Math.Max(json, quality);
            }
        }

        return graphql > 0 && graphql >= json ? GraphQLResponse : Json;
    }
}
