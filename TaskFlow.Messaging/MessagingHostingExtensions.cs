using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The transport-neutral part of messaging registration. The transport (<c>TaskFlow.Messaging.RabbitMQ</c>) and the
/// outbox relays (<c>TaskFlow.Messaging.EntityFrameworkCore</c>, <c>TaskFlow.Messaging.MongoDB</c>) each call it, so
/// a service gets the options whichever of them it adds.
/// </summary>
public static class MessagingHostingExtensions
{
    /// <summary>Binds <see cref="MessagingOptions"/> from the <c>Messaging</c> section, validated at start.</summary>
    public static IHostApplicationBuilder AddMessagingOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MessagingOptions>()
            .Bind(builder.Configuration.GetSection(MessagingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
