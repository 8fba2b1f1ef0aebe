namespace TaskFlow.Graph.Infrastructure;

/// <summary>The services the Graph service composes, named as the AppHost's resources (resolved by service discovery).</summary>
public static class Downstream
{
    public const string Users = "users";
    public const string Tasks = "tasks";
    public const string Notifier = "notifier";
    public const string Webhooks = "webhooks";

    public static readonly string[] All = [Users, Tasks, Notifier, Webhooks];
}
