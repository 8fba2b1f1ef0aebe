using TaskFlow.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);
var settings = builder.GetTaskFlowSettings();

// Backing services: official containers, or local processes where no container runtime is healthy.
var postgres = builder.AddTaskFlowPostgres("postgres");
var usersDb = postgres.AddTaskFlowDatabase("usersdb");
var notificationsDb = postgres.AddTaskFlowDatabase("notificationsdb");
var webhooksDb = postgres.AddTaskFlowDatabase("webhooksdb");
var mongo = builder.AddTaskFlowMongoDB("mongo");
var tasksDb = mongo.AddTaskFlowDatabase("tasksdb");
var redis = builder.AddTaskFlowRedis("redis");
// The operator redrives what consumers dead-lettered from the dashboard (rabbitmq → "Redrive dead letters").
var rabbitmq = builder.AddTaskFlowRabbitMQ("rabbitmq").WithDeadLetterCommands("notifier", "webhooks");

// Services.
// Users: the bootstrap admin comes from parameters (its password generated once and kept in the AppHost's user
// secrets unless given). Tokens are signed with the secret jwt-signing-key (a PEM; required when publishing);
// without it, Users generates a development key under the data root, shared by all its replicas.
var adminEmail = builder.AddParameter("users-admin-email", "admin@taskflow.local", publishValueAsDefault: true);
var adminPassword = builder.AddParameter("users-admin-password",
    new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
var users = builder.AddTaskFlowService<Projects.TaskFlow_Users>("users")
    .WithStores(usersDb, postgres, redis)
    .PublishingTo(rabbitmq)
    .WithEnvironment("Users__Admin__Email", adminEmail)
    .WithEnvironment("Users__Admin__Password", adminPassword);
if (builder.ExecutionContext.IsPublishMode || !string.IsNullOrEmpty(builder.Configuration["Parameters:jwt-signing-key"]))
{
    users.WithEnvironment("Users__Tokens__SigningKey", builder.AddParameter("jwt-signing-key", secret: true));
}
else
{
    users.WithEnvironment("Users__Tokens__KeyDirectory", Path.Combine(settings.DataRoot, "users", "keys"));
}

if (!string.IsNullOrEmpty(builder.Configuration["Parameters:jwt-previous-signing-key"]))
{
    // Rotation: the key that signed tokens still in circulation stays published in the JWKS until they expire.
    users.WithEnvironment("Users__Tokens__PreviousSigningKeys__0", builder.AddParameter("jwt-previous-signing-key", secret: true));
}

// Tasks runs two replicas: its cache must stay coherent across them (versioned cache keys, see TaskCache).
var tasks = builder.AddTaskFlowService<Projects.TaskFlow_Tasks>("tasks", replicas: 2)
    .WithInlineSocketCompletions()
    .WithStores(tasksDb, mongo, redis)
    .PublishingTo(rabbitmq)
    .WithReference(users);

// Notifier runs two replicas: competing consumers on its queue; live streams fan out across replicas through
// PostgreSQL LISTEN/NOTIFY, so a stream on either replica sees what the other consumed.
var notifier = builder.AddTaskFlowService<Projects.TaskFlow_Notifier>("notifier", replicas: 2)
    .WithStores(notificationsDb, postgres, redis)
    .ConsumingFrom(rabbitmq)
    .WithReference(users);

// Webhooks runs two replicas: competing consumers on its own queue, and delivery workers that claim due deliveries
// under a lease, so neither sends one twice. Apart from the Notifier: third-party receivers are slow, untrusted I/O
// with retries over a day, and a dead one must never delay notifications. Local mode allows loopback receivers.
// The Data Protection key ring in webhooksdb is encrypted with the secret webhooks-key-encryption-key, kept out of the
// database (generated once and kept in the AppHost's user secrets unless given; a Kubernetes Secret when published).
var webhooksKeyEncryptionKey = builder.AddParameter("webhooks-key-encryption-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var webhooks = builder.AddTaskFlowService<Projects.TaskFlow_Webhooks>("webhooks", replicas: 2)
    .WithStores(webhooksDb, postgres, redis)
    .ConsumingFrom(rabbitmq)
    .WithReference(users)
    .WithEnvironment("Webhooks__KeyEncryptionKey", webhooksKeyEncryptionKey);
if (!string.IsNullOrEmpty(builder.Configuration["Parameters:webhooks-previous-key-encryption-key"]))
{
    // Rotation: the KEK before still decrypts the keys it encrypted.
    webhooks.WithEnvironment("Webhooks__PreviousKeyEncryptionKey", builder.AddParameter("webhooks-previous-key-encryption-key", secret: true));
}

if (settings.Mode == InfrastructureMode.Local)
{
    webhooks.WithEnvironment("Webhooks__AllowLoopback", "true");
}

// Graph: the GraphQL API, composed from the services' REST APIs with the caller's own token (no data of its own).
// It calls them per request, so it starts without waiting for them.
var graph = builder.AddTaskFlowService<Projects.TaskFlow_Graph>("graph")
    .WithReference(users)
    .WithReference(tasks)
    .WithReference(notifier)
    .WithReference(webhooks);

// The web client: a static single-page app whose browser code calls only the gateway's public API; the gateway
// serves it at / (same origin), so it needs no reference to any service.
var web = builder.AddTaskFlowService<Projects.TaskFlow_Web>("web");

// The gateway waits only for Redis (its shared limits): a route whose service is not healthy yet answers 503 with
// Retry-After, so clients get a clear answer from the first second.
var gateway = builder.AddTaskFlowService<Projects.TaskFlow_Gateway>("gateway", replicas: settings.GatewayReplicas)
    .WithInlineSocketCompletions()
    .WithEndpoint("http", endpoint => endpoint.Port = settings.GatewayPort)
    .WithHttpEndpoint(name: "management", env: "Management__Port")
    .WithExternalHttpEndpoints()
    .WithReference(redis).WaitFor(redis)
    .WithReference(users)
    .WithReference(tasks)
    .WithReference(notifier)
    .WithReference(webhooks)
    .WithReference(graph)
    .WithReference(web);
foreach (var (key, values) in new[] { ("TrustedProxies", settings.GatewayTrustedProxies), ("TrustedNetworks", settings.GatewayTrustedNetworks) })
{
    for (var i = 0; i < values.Count; i++)
    {
        gateway.WithEnvironment($"Gateway__{key}__{i}", values[i]);
    }
}

// The public issuer (API.md, "Sessions at the edge"): the gateway's actual address, the tokens' iss and the discovery
// document's issuer; every validating service gets the same value. (Publishing keeps Jwt:Issuer's configured value.)
if (builder.ExecutionContext.IsRunMode)
{
    foreach (var service in new[] { users, tasks, notifier, webhooks, graph, gateway })
    {
        service.WithEnvironment("Jwt__Issuer", gateway.GetEndpoint("http"));
    }
}

builder.Build().Run();
