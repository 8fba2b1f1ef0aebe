using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Notifier.Apis;

/// <summary>The live stream's settings (configuration section <c>NotificationStream</c>).</summary>
public sealed class NotificationStreamOptions
{
    public const string SectionName = "NotificationStream";

    /// <summary>A comment line (<c>: keep-alive</c>) at least this often, so proxies never see an idle connection (API.md: 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:15:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>At most this many missed notifications are replayed after a reconnect with <c>Last-Event-ID</c>.</summary>
    [Range(1, 10_000)]
    public int ReplayLimit { get; set; } = 1000;

    /// <summary>
    /// How late a replica's LISTEN connection may see the signal of a notification already committed: notifications
    /// stored this recently before a stream opens are known to it, so a late signal of one is not sent as live.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LateSignalWindow { get; set; } = TimeSpan.FromMinutes(5);
}
