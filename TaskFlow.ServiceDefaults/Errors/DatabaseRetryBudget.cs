namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// How long a request keeps retrying a relational database before it answers 503 with Retry-After: EF Core's default
/// retrying strategy waits about a minute (6 retries, up to 30 s apart), past the gateway's 30 s request timeout, so a
/// database outage would surface as timeouts instead of a prompt 503. Services pass these to
/// <c>EnableRetryOnFailure</c>; a blip of a second or two is still ridden out.
/// </summary>
public static class DatabaseRetryBudget
{
    public const int MaxRetryCount = 3;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);
}
