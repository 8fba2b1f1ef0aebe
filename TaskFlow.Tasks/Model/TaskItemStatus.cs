namespace TaskFlow.Tasks.Model;

/// <summary>Where a task stands. The JSON names are the API's (<c>todo</c>, <c>in_progress</c>, <c>done</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskItemStatus>))]
public enum TaskItemStatus
{
    [JsonStringEnumMemberName("todo")]
    Todo,

    [JsonStringEnumMemberName("in_progress")]
    InProgress,

    [JsonStringEnumMemberName("done")]
    Done,
}
