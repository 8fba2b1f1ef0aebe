using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Tasks.Infrastructure;

/// <summary>How <see cref="UserDirectory"/> caches the Users service's answers (configuration section <c>UsersService</c>).</summary>
public sealed class UserDirectoryOptions
{
    public const string SectionName = "UsersService";

    /// <summary>How long "this user exists" is remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExistenceCacheDuration { get; set; } = TimeSpan.FromMinutes(2);
}
