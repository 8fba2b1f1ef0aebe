namespace TaskFlow.Tasks.Model;

/// <summary>How urgent a task is. The numeric values are the rank used for sorting, lowest first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskPriority>))]
public enum TaskPriority
{
    [JsonStringEnumMemberName("low")]
    Low = 0,

    [JsonStringEnumMemberName("medium")]
    Medium = 1,

    [JsonStringEnumMemberName("high")]
    High = 2,

    [JsonStringEnumMemberName("urgent")]
    Urgent = 3,
}
