namespace TaskFlow.Notifier;

/// <summary>Names of the AppHost resources and broker objects the Notifier uses.</summary>
public static class NotifierResources
{
    public const string Database = "notificationsdb";

    /// <summary>The advisory lock of the database migrations; an arbitrary constant shared by every replica ("notifier").</summary>
    public const long MigrationLockKey = 0x6E6F746966696572;
    public const string Broker = "rabbitmq";

    /// <summary>Redis: Idempotency-Key records of the idempotent writes.</summary>
    public const string Redis = "redis";

    /// <summary>The Notifier's durable queue (also <c>notifier.retry</c> and the dead-letter queue <c>notifier.dlq</c>).</summary>
    public const string Queue = "notifier";

    /// <summary>PostgreSQL NOTIFY channel fanning new notifications out to every replica's live streams.</summary>
    public const string NotifyChannel = "taskflow_notifications";
}
