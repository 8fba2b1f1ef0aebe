namespace TaskFlow.Webhooks;

/// <summary>Names of the AppHost resources and broker objects the Webhooks service uses.</summary>
public static class WebhooksResources
{
    public const string Database = "webhooksdb";

    /// <summary>The advisory lock of the database migrations; an arbitrary constant shared by every replica ("webhooks").</summary>
    public const long MigrationLockKey = 0x7765626F6F6B73;
    public const string Broker = "rabbitmq";

    /// <summary>Redis: Idempotency-Key records of the idempotent writes.</summary>
    public const string Redis = "redis";

    /// <summary>The service's durable queue (also <c>webhooks.retry</c> and the dead-letter queue <c>webhooks.dlq</c>).</summary>
    public const string Queue = "webhooks";

    /// <summary>The Data Protection application name: every replica shares the key ring, so each decrypts every secret.</summary>
    public const string DataProtectionApplication = "TaskFlow.Webhooks";
}
