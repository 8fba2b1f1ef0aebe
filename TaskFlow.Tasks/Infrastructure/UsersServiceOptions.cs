using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Tasks.Infrastructure;

public sealed class UsersServiceOptions
{
    public const string SectionName = "UsersService";

    /// <summary>Resolved through service discovery ("users" is the AppHost resource name).</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("http://users/");

    /// <summary>How long "this user exists" is remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExistenceCacheDuration { get; set; } = TimeSpan.FromMinutes(2);
}
