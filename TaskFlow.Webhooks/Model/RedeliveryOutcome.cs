namespace TaskFlow.Webhooks.Model;

/// <summary>What <c>POST .../redeliver</c> did.</summary>
public enum RedeliveryOutcome
{
    NotFound,
    Scheduled,
    Disabled,
}
