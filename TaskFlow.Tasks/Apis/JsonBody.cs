using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskFlow.ServiceDefaults.Errors;

namespace TaskFlow.Tasks.Apis;

/// <summary>
/// Reads a request body as a JSON document so each field can be type-checked and reported on its own (a wrong
/// type is a validation error on that field). Wrong content type → 415, not JSON → 400, both as problem+json;
/// a body over the endpoint's size limit fails while reading and becomes a 413 in the shared exception handler.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, RequestProblems.UnsupportedMediaType("Send the body as application/json."));
        }

        try
        {
            return (await JsonDocument.ParseAsync(request.Body, Options, cancellationToken), null);
        }
        catch (JsonException)
        {
            // Malformed input is the client's mistake, not an exceptional state of the service: answer it here.
            return (null, RequestProblems.MalformedBody());
        }
    }
}
