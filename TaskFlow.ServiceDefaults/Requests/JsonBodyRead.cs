namespace TaskFlow.ServiceDefaults.Requests;

/// <summary>
/// What <see cref="JsonBodyReader.ReadAsync"/> made of a body: the parsed value, or the field errors that kept it
/// from parsing, or (when the body could not be read as JSON at all) the problem to answer with.
/// </summary>
public sealed record JsonBodyRead<T>(T? Value, ValidationErrors Errors, ProblemHttpResult? Problem)
    where T : class
{
    /// <summary>The 400 validation problem carrying <see cref="Errors"/>.</summary>
    public ValidationProblem ValidationProblem() => TypedResults.ValidationProblem(Errors.ToDictionary());
}
