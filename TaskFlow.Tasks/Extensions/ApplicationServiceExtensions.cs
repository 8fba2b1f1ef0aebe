namespace TaskFlow.Tasks.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMongoDBClient("tasksdb");
        builder.AddRedisClient("redis");
        builder.AddRabbitMQClient("rabbitmq");
        builder.AddTaskFlowOpenApi("TaskFlow Tasks API", "Tasks and their comments.");
        return builder;
    }
}
