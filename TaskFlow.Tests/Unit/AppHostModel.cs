namespace TaskFlow.Tests.Unit;

/// <summary>The AppHost's model, built and not started, in local mode with a throw-away data folder.</summary>
internal static class AppHostModel
{
    public static async Task<T> InspectAsync<T>(string[] args, Func<IDistributedApplicationTestingBuilder, Task<T>> inspect)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
                ["--TaskFlow:Infrastructure=local", $"--TaskFlow:DataRoot={dataRoot}", .. args]);
            return await inspect(builder);
        }
        finally
        {
            if (Directory.Exists(dataRoot))
            {
                Directory.Delete(dataRoot, recursive: true);
            }
        }
    }
}
