namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// What one claim may take beyond its total: attempts in flight on this replica per destination (<c>host:port</c>)
/// and per owner, and the bound of each.
/// </summary>
public sealed record ClaimBounds(
    int PerDestination,
    IReadOnlyDictionary<string, int> RunningPerDestination,
    int PerOwner,
    IReadOnlyDictionary<Guid, int> RunningPerOwner);
