using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Graph.Extensions;

/// <summary>Where the composed services answer; the defaults are AppHost resource names, resolved by service discovery.</summary>
public sealed class DownstreamOptions
{
    public const string SectionName = "Downstream";

    [Required]
    public Uri Users { get; set; } = new("http://users");

    [Required]
    public Uri Tasks { get; set; } = new("http://tasks");

    [Required]
    public Uri Notifier { get; set; } = new("http://notifier");
}
