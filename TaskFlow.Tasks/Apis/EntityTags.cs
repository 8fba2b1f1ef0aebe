using Microsoft.Net.Http.Headers;

namespace TaskFlow.Tasks.Apis;

/// <summary>
/// Strong ETags derived from a task's version, and the conditional request headers that name them. The version
/// changes with every successful write and only then, so it is exactly the identity of a representation; no hashing
/// of the body is needed.
/// </summary>
public static class EntityTags
{
    public static string For(long version) => $"\"v{version}\"";

    /// <summary>
    /// If-Match (RFC 9110 §13.1.1): strong comparison, <c>*</c> matches any current representation. An absent
    /// header means the request is unconditional. A header that cannot be parsed matches nothing.
    /// </summary>
    public static VersionCondition IfMatch(StringValues header)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return VersionCondition.Unconditional;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return VersionCondition.OneOf([]);
        }

        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any))
            ? VersionCondition.AnyVersion
            : VersionCondition.OneOf(tags.Where(tag => !tag.IsWeak).Select(VersionOf).OfType<long>());
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

    /// <summary>The version a tag names when it is exactly one of ours (<c>"v12"</c>, not <c>"v012"</c>), else null.</summary>
    private static long? VersionOf(EntityTagHeaderValue tag)
    {
        var text = tag.Tag.ToString();
        return text.StartsWith("\"v", StringComparison.Ordinal) && text.Length > 3
            && long.TryParse(text.AsSpan(2, text.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && string.Equals(For(version), text, StringComparison.Ordinal)
                ? version
                : null;
    }
}
