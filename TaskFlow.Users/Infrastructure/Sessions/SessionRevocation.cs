namespace TaskFlow.Users.Infrastructure.Sessions;

/// <summary>
/// Revokes access tokens at the edge (API.md "Sessions at the edge"): records the session, or the user's
/// "issued before" stamp, in the shared revocation list the gateway follows, for as long as such a token can live.
/// </summary>
public sealed class SessionRevocation(AccessTokenRevocations revocations, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>Longer than any access token issued now can be accepted (lifetime plus validators' clock skew).</summary>
    private TimeSpan RetainFor => options.Value.AccessTokenLifetime + TimeSpan.FromMinutes(1);

    public Task RevokeSessionAsync(string sessionId) => revocations.RevokeSessionAsync(sessionId, RetainFor);

    /// <summary>Every access token of the user issued until now stops working (e.g. its roles changed); refresh tokens keep working.</summary>
    public Task RevokeUserTokensAsync(Guid userId) =>
        revocations.RevokeUserTokensIssuedBeforeAsync(userId.ToString(), time.GetUtcNow(), RetainFor);
}
