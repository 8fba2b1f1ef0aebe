using TaskFlow.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);
var settings = builder.GetTaskFlowSettings();

// Backing services: official containers, or local processes where no container runtime is healthy.
var postgres = builder.AddTaskFlowPostgres("postgres");
var usersDb = postgres.AddTaskFlowDatabase("usersdb");
var notificationsDb = postgres.AddTaskFlowDatabase("notificationsdb");
var mongo = builder.AddTaskFlowMongoDB("mongo");
var tasksDb = mongo.AddTaskFlowDatabase("tasksdb");
var redis = builder.AddTaskFlowRedis("redis");
var rabbitmq = builder.AddTaskFlowRabbitMQ("rabbitmq");

// Services.
var users = builder.AddProject<Projects.TaskFlow_Users>("users")
    .WithReference(usersDb).WaitFor(postgres)
    .WithReference(redis).WaitFor(redis)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithHttpHealthCheck("/health");

// Tasks runs two replicas: its cache must stay coherent across them (versioned cache keys, see TaskCache).
var tasks = builder.AddProject<Projects.TaskFlow_Tasks>("tasks")
    .WithReplicas(2)
    .WithReference(tasksDb).WaitFor(mongo)
    .WithReference(redis).WaitFor(redis)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(users)
    .WithHttpHealthCheck("/health");

var notifier = builder.AddProject<Projects.TaskFlow_Notifier>("notifier")
    .WithReference(notificationsDb).WaitFor(postgres)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(users)
    .WithHttpHealthCheck("/health");

var gateway = builder.AddProject<Projects.TaskFlow_Gateway>("gateway")
    .WithEndpoint("http", endpoint => endpoint.Port = settings.GatewayPort)
    .WithHttpEndpoint(name: "management", env: "Management__Port")
    .WithExternalHttpEndpoints()
    .WithReference(redis).WaitFor(redis)
    .WithReference(users).WaitFor(users)
    .WithReference(tasks).WaitFor(tasks)
    .WithReference(notifier).WaitFor(notifier)
    .WithHttpHealthCheck("/health");
for (var i = 0; i < settings.GatewayTrustedProxies.Count; i++)
{
    gateway.WithEnvironment($"Gateway__TrustedProxies__{i}", settings.GatewayTrustedProxies[i]);
}

builder.Build().Run();
