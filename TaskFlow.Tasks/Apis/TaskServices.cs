using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.IntegrationEvents;

namespace TaskFlow.Tasks.Apis;

/// <summary>What the task handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed class TaskServices(
    TaskRepository tasks,
    CommentRepository comments,
    TaskCache cache,
    TaskVersionStamps stamps,
    UserDirectory users,
    TaskEventOutbox outbox,
    TimeProvider clock,
    ILogger<TaskServices> logger)
{
    public TaskRepository Tasks { get; } = tasks;

    public CommentRepository Comments { get; } = comments;

    public TaskCache Cache { get; } = cache;

    public TaskVersionStamps Stamps { get; } = stamps;

    public UserDirectory Users { get; } = users;

    public TaskEventOutbox Outbox { get; } = outbox;

    public TimeProvider Clock { get; } = clock;

    public ILogger Logger { get; } = logger;
}
