namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// Whether a subscription's URL may be reached, decided when it is created (API.md: outside local mode a host that
/// resolves to a loopback, private, link-local or metadata address is a 400) and again, by the same rules, at every
/// connection (<see cref="GuardedConnector"/>): a name that changes its answer later gets no further.
/// </summary>
public sealed class DestinationPolicy(IOptions<WebhookOptions> options)
{
    private readonly GuardedConnector _connector = new(options.Value.AllowLoopback);

    /// <summary>Null when <paramref name="url"/> may be used, else why not.</summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        try
        {
            await _connector.ResolveAllowedAsync(url.IdnHost, cancellationToken);
            return null;
        }
        catch (DestinationRefusedException ex)
        {
            return ex.Message;
        }
    }
}
