namespace TaskFlow.ServiceDefaults.Requests;

/// <summary>
/// Reads a request body as a JSON document so each field can be type-checked and reported on its own (a wrong
/// type is a validation error on that field). Wrong content type → 415, not JSON → 400, both as problem+json;
/// a body over the endpoint's size limit fails while reading and becomes a 413 in the shared exception handler.
/// </summary>
public static class JsonBodyReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <summary>
    /// Reads the body and hands its root to <paramref name="parse"/>, which returns the value or null after adding
    /// field errors. The document is disposed before this returns, so <paramref name="parse"/> must copy what it keeps.
    /// </summary>
    public static async Task<JsonBodyRead<T>> ReadAsync<T>(
        HttpRequest request, Func<JsonElement, ValidationErrors, T?> parse, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        var errors = new ValidationErrors();
        if (!request.HasJsonContentType())
        {
            return new(null, errors, RequestProblems.UnsupportedMediaType("Send the body as application/json."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, Options, cancellationToken);
        }
        catch (JsonException)
        {
            // Malformed input is the client's mistake, not an exceptional state of the service: answer it here.
            return new(null, errors, RequestProblems.MalformedBody());
        }

        using (document)
        {
            return new(parse(document.RootElement, errors), errors, null);
        }
    }
}
