namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// The problem+json answers to a request body that cannot be read, the same in every service whether a handler
/// answers itself or the shared <see cref="BadRequestExceptionHandler"/> does.
/// </summary>
public static class RequestProblems
{
    public const string MalformedTitle = "Malformed request";
    public const string MalformedJsonDetail = "The request body is not valid JSON.";
    public const string UnsupportedMediaTypeTitle = "Unsupported media type";
    public const string TooLargeTitle = "Request body too large";

    /// <summary>400: the body is not valid JSON.</summary>
    public static ProblemHttpResult MalformedBody() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: MalformedTitle, detail: MalformedJsonDetail);

    /// <summary>415: the body has a content type the endpoint does not read; <paramref name="detail"/> says which it does.</summary>
    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: UnsupportedMediaTypeTitle, detail: detail);
}
