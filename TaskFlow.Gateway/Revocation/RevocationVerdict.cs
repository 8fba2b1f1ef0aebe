namespace TaskFlow.Gateway.Revocation;

/// <summary>What the gateway knows about an access token's revocation.</summary>
public enum RevocationVerdict
{
    /// <summary>Checked against the shared list (or its pub/sub-fed copy): not revoked.</summary>
    Valid,

    /// <summary>The session was revoked, or the token was issued before its user's revocation stamp.</summary>
    Revoked,

    /// <summary>Redis is unreachable and nothing known revokes it: accepted (fail open; see README "Gateway").</summary>
    Unverified,
}
