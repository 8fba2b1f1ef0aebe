using Aspire.Hosting.ApplicationModel;
using TaskFlow.AppHost.Infrastructure;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// Every .NET process the AppHost runs (each service, and the MongoDB stand-in in local mode) gets the GC's gen0 budget
/// from the environment, the only place the runtime reads it (docs/BENCHMARKS.md); the Kubernetes manifests are
/// generated from the same model.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AppHostRuntimeSettingsTests
{
    [Fact]
    public async Task Every_service_and_the_stand_in_run_with_the_larger_gen0_budget()
    {
        var budgets = await AppHostModel.InspectAsync([], async builder =>
        {
            var result = new Dictionary<string, string?>();
            foreach (var resource in builder.Resources.OfType<IResourceWithEnvironment>()
                         .Where(r => r is ProjectResource || r.Name == "mongo"))
            {
                var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource);
                foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
                {
                    await callback.Callback(context);
                }

                result[resource.Name] = context.EnvironmentVariables.TryGetValue(RuntimeSettingsExtensions.Gen0BudgetVariable, out var value) ? value?.ToString() : null;
            }

            return result;
        });

        Assert.Equal(["gateway", "graph", "mongo", "notifier", "tasks", "users", "web", "webhooks"], budgets.Keys.Order());
        Assert.All(budgets, b => Assert.Equal(0x2000000, Convert.ToInt32(b.Value, 16)));
    }

    [Fact]
    public async Task Only_the_gateway_and_Tasks_run_socket_completions_inline()
    {
        var inline = await AppHostModel.InspectAsync([], async builder =>
        {
            var result = new Dictionary<string, string?>();
            foreach (var resource in builder.Resources.OfType<ProjectResource>())
            {
                var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource);
                foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
                {
                    await callback.Callback(context);
                }

                result[resource.Name] = context.EnvironmentVariables.TryGetValue(RuntimeSettingsExtensions.InlineSocketCompletionsVariable, out var value) ? value?.ToString() : null;
            }

            return result;
        });

        Assert.Equal(["gateway", "tasks"], inline.Where(i => i.Value == "1").Select(i => i.Key).Order());
        Assert.All(inline.Where(i => i.Key is not ("gateway" or "tasks")), i => Assert.Null(i.Value));
    }
}
