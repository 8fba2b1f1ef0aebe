namespace TaskFlow.Gateway.Routing;

/// <summary>What <see cref="CanonicalPath.Canonicalize"/> made of a request path.</summary>
public enum CanonicalPathResult
{
    /// <summary>Already canonical.</summary>
    Canonical,

    /// <summary>Repeated or trailing slashes removed: the canonical spelling of the same path.</summary>
    Rewritten,

    /// <summary>Ambiguous (an encoded slash, a backslash, a control character): refused.</summary>
    Rejected,
}
