namespace TaskFlow.Tasks.Model;

/// <summary>The body of <c>POST /tasks/{id}/comments</c>: 1 to 5000 characters, not only whitespace.</summary>
public sealed record CommentInput
{
    public const int BodyMaxLength = 5_000;

    public required string Body { get; init; }
}
