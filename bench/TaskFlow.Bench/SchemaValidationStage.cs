using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Json.Schema;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Schemas;

namespace TaskFlow.Bench;

/// <summary>
/// <c>bench/run.sh --schema-stage</c>: the CPU of validating one <c>task.created</c> against its JSON Schema, the
/// check every publish and every consume makes (three per created task: Tasks, the Notifier, Webhooks). JsonSchema.Net
/// with the list output (every keyword's result collected) against the flag output (valid or not), and
/// <see cref="IntegrationEventSchemas.Validate"/> as the services call it; alternating rounds in one process, no system started.
/// </summary>
internal static class SchemaValidationStage
{
    public static void Run()
    {
        var descriptor = IntegrationEventRegistry.Get<TaskCreated>();
        var schema = JsonSchema.FromText(IntegrationEventSchemas.GetSchemaText(descriptor), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var data = JsonSerializer.SerializeToElement(
            new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Write the quarterly report", "todo", Guid.NewGuid(), 1, DateTimeOffset.UtcNow),
            IntegrationEventEnvelope.SerializerOptions);
        var list = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        var flag = new EvaluationOptions { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
        Func<bool>[] candidates =
        [
            () => schema.Evaluate(data, list).IsValid,
            () => schema.Evaluate(data, flag).IsValid,
            () => IntegrationEventSchemas.Validate(descriptor.EventType, data).IsValid,
        ];
        foreach (var candidate in candidates)
        {
            Measure(candidate, 5_000); // warm: the JIT's final tier
        }

        for (var round = 1; round <= 3; round++)
        {
            var results = candidates.Select(c => Measure(c, 20_000)).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: list output {results[0].Micros:0.0} µs CPU, {results[0].Bytes:N0} B; flag output {results[1].Micros:0.0} µs, {results[1].Bytes:N0} B (flag ÷ list {results[1].Micros / results[0].Micros:0.00}); IntegrationEventSchemas.Validate {results[2].Micros:0.0} µs, {results[2].Bytes:N0} B"));
        }
    }

    private static (double Micros, long Bytes) Measure(Func<bool> validate, int count)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            if (!validate())
            {
                throw new InvalidOperationException("The event did not validate.");
            }
        }

        var micros = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / count;
        return (micros, (GC.GetAllocatedBytesForCurrentThread() - bytes) / count);
    }
}
