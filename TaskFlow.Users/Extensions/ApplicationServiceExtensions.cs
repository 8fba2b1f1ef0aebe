using TaskFlow.Users.Infrastructure;

namespace TaskFlow.Users.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<UsersDbContext>("usersdb");
        builder.AddRedisClient("redis");
        builder.AddRabbitMQClient("rabbitmq");
        builder.AddTaskFlowOpenApi("TaskFlow Users API", "Registration, login (OAuth2/JWT), sessions, profiles and roles.");
        return builder;
    }
}
