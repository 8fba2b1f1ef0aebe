namespace TaskFlow.Tasks.Infrastructure;

/// <summary>What Redis says about a task's current version (see <see cref="TaskVersionStamps"/>).</summary>
public readonly record struct TaskStamp(long Version, bool Deleted);
