namespace TaskFlow.Webhooks.Delivery;

/// <summary>What one attempt got: an HTTP status (and a <c>Retry-After</c>), or an error without an answer.</summary>
public sealed record AttemptResult(int? StatusCode, string? Error, TimeSpan? RetryAfter, TimeSpan Duration)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>410 Gone: the receiver says the subscription is over.</summary>
    public bool Gone => StatusCode == 410;

    public string Outcome => Succeeded ? "succeeded" : StatusCode is int ? "http_error" : "no_answer";
}
