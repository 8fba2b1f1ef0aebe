using TaskFlow.Notifier.Infrastructure;

namespace TaskFlow.Notifier.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<NotificationsDbContext>("notificationsdb");
        builder.AddRabbitMQClient("rabbitmq");
        builder.AddTaskFlowOpenApi("TaskFlow Notifications API", "The caller's notification inbox and its live stream.");
        return builder;
    }
}
