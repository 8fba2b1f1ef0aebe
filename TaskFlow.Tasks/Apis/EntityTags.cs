using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace TaskFlow.Tasks.Apis;

/// <summary>
/// Strong ETags derived from a task's version. The version changes with every successful write and only then, so
/// it is exactly the identity of a representation; no hashing of the body is needed.
/// </summary>
public static class EntityTags
{
    public static string For(long version) => $"\"v{version}\"";

    /// <summary>
    /// If-Match (RFC 9110 §13.1.1): strong comparison, <c>*</c> matches any current representation. An absent
    /// header means the request is unconditional. A header that cannot be parsed matches nothing.
    /// </summary>
    public static bool IfMatchAllows(StringValues header, long currentVersion)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(For(currentVersion));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || (!tag.IsWeak && tag.Compare(current, useStrongComparison: true)));
    }

    /// <summary>If-None-Match (RFC 9110 §13.1.2): weak comparison; true when the client's copy is current (→ 304).</summary>
    public static bool IfNoneMatchHits(StringValues header, long currentVersion)
    {
        if (StringValues.IsNullOrEmpty(header) || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(For(currentVersion));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }
}
