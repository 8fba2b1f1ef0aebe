namespace TaskFlow.Tasks.Apis;

/// <summary>Example values of the OpenAPI document (what generated requests send), in the API's JSON names.</summary>
internal static class TaskExamples
{
    public const string TaskId = "0193a1f2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";

    public static readonly object Task = new
    {
        title = "Write the release notes",
        description = "Everything that changed since 1.2, for users.",
        status = "todo",
        priority = "high",
        dueDate = "2026-12-31T17:00:00Z",
        tags = new[] { "release", "docs" },
    };

    public static readonly object Comment = new { body = "Draft is in the shared folder." };
}
