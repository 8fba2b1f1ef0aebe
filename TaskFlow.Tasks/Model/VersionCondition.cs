namespace TaskFlow.Tasks.Model;

/// <summary>
/// Which versions of a task a conditional write names (its If-Match): none given (the write is unconditional), any
/// version (<c>*</c>), or a list. A list that names nothing usable still makes the write conditional, and allows none.
/// </summary>
public sealed class VersionCondition
{
    private readonly bool _anyVersion;
    private readonly HashSet<long> _versions;

    private VersionCondition(bool isConditional, bool anyVersion, IEnumerable<long> versions)
    {
        IsConditional = isConditional;
        _anyVersion = anyVersion;
        _versions = [.. versions];
    }

    public static VersionCondition Unconditional { get; } = new(isConditional: false, anyVersion: false, []);

    public static VersionCondition AnyVersion { get; } = new(isConditional: true, anyVersion: true, []);

    /// <summary>False when no condition was given: then a write that loses a race may be retried on the fresh state.</summary>
    public bool IsConditional { get; }

    public static VersionCondition OneOf(IEnumerable<long> versions) => new(isConditional: true, anyVersion: false, versions);

    /// <summary>Whether a write may change the task at <paramref name="currentVersion"/>.</summary>
    public bool Allows(long currentVersion) => !IsConditional || _anyVersion || _versions.Contains(currentVersion);
}
