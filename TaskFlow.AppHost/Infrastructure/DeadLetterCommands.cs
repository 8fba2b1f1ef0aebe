using System.Text;
using RabbitMQ.Client;
using TaskFlow.Messaging.Operations;

namespace TaskFlow.AppHost.Infrastructure;

/// <summary>
/// The operator's dead-letter commands on the broker resource (the dashboard's "..." menu of rabbitmq, or
/// <c>ResourceCommandService</c>): inspect what each consumer's <c>{queue}.dlq</c> holds, and redrive it back to the
/// consumer's queue once the cause is fixed (<see cref="DeadLetterQueue"/>).
/// </summary>
public static class DeadLetterCommands
{
    public const string InspectCommand = "dead-letters-inspect";
    public const string RedriveCommand = "dead-letters-redrive";

    private const int InspectLimit = 20;

    public static IResourceBuilder<IResourceWithConnectionString> WithDeadLetterCommands(
        this IResourceBuilder<IResourceWithConnectionString> broker, params string[] consumerQueues)
    {
        broker.WithCommand(InspectCommand, "Inspect dead letters", async context =>
        {
            await using var connection = await ConnectAsync(broker.Resource, context.CancellationToken);
            var report = new StringBuilder();
            foreach (var queue in consumerQueues)
            {
                var letters = await DeadLetterQueue.InspectAsync(connection, queue, InspectLimit, context.CancellationToken);
                report.Append(queue).Append(".dlq: ").Append(letters.Count).Append(letters.Count == InspectLimit ? "+" : "").AppendLine(" dead letter(s)");
                foreach (var letter in letters)
                {
                    report.Append("  ").Append(letter.EventType).Append(' ').Append(letter.MessageId)
                        .Append(" (").Append(letter.Reason ?? "unknown").Append(", ").Append(letter.Attempts).AppendLine(" attempt(s))");
                }
            }

            return CommandResults.Success(report.ToString().TrimEnd());
        }, new CommandOptions { UpdateState = WhenHealthy, IconName = "MailInbox", Description = "Lists the first messages of each consumer's dead-letter queue." });

        broker.WithCommand(RedriveCommand, "Redrive dead letters", async context =>
        {
            await using var connection = await ConnectAsync(broker.Resource, context.CancellationToken);
            var moved = new List<string>();
            foreach (var queue in consumerQueues)
            {
                moved.Add($"{await DeadLetterQueue.RedriveAsync(connection, queue, context.CancellationToken)} to {queue}");
            }

            return CommandResults.Success("Redriven: " + string.Join(", ", moved));
        }, new CommandOptions
        {
            UpdateState = WhenHealthy,
            IconName = "MailArrowUp",
            Description = "Moves every dead-lettered message back to its consumer's queue (fix the cause first).",
            ConfirmationMessage = "Move every dead-lettered message back to its consumer's queue?",
        });
        return broker;
    }

    private static ResourceCommandState WhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<IConnection> ConnectAsync(IResourceWithConnectionString broker, CancellationToken cancellationToken)
    {
        var connectionString = await broker.GetConnectionStringAsync(cancellationToken)
            ?? throw new InvalidOperationException($"{broker.Name} has no connection string yet.");
        var factory = new ConnectionFactory { Uri = new Uri(connectionString), ClientProvidedName = "taskflow-apphost-dead-letters" };
        return await factory.CreateConnectionAsync(cancellationToken);
    }
}
