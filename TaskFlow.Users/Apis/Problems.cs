namespace TaskFlow.Users.Apis;

/// <summary>The problem+json answers the Users endpoints share (ProblemDetails adds type and traceId).</summary>
internal static class Problems
{
    public static ValidationProblem Validation(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "One or more validation errors occurred.");

    public static ValidationProblem Validation(string field, string message) => Validation(new ValidationErrors().Add(field, message));

    public static ProblemHttpResult EmailTaken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already registered",
            detail: "An account with this email address already exists.");

    public static ProblemHttpResult InvalidCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid credentials",
            detail: "The email address or password is incorrect.");

    public static ProblemHttpResult InvalidRefreshToken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token",
            detail: "The refresh token is unknown, expired or revoked.");
}
