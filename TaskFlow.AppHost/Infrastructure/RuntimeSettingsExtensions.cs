namespace TaskFlow.AppHost.Infrastructure;

/// <summary>
/// Runtime settings of the .NET service processes that only an environment variable can carry (the rest are in each
/// app's runtimeconfig.json, from Directory.Build.props).
/// </summary>
public static class RuntimeSettingsExtensions
{
    /// <summary>The GC's smallest gen0 budget (<c>DOTNET_GCgen0size</c>), in bytes: 32 MiB.</summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>32 MiB, as the runtime reads it (hexadecimal).</summary>
    public const string Gen0Budget = "0x2000000";

    /// <summary>
    /// A 32 MiB gen0 budget. Workstation GC with background collection caps gen0 at 6 MiB, and where the VM hides the
    /// CPU caches (this 2-core Firecracker guest) the runtime picks about 2 MiB (an allocation loop of 2.56 GB: 1,224
    /// gen0 collections, 38 with this budget), and each collection suspends every thread of the process. Alternating
    /// --post-only runs measured 20–24% less CPU per created task with this budget (docs/BENCHMARKS.md); the cost is
    /// up to 32 MiB more memory per process. The runtime reads this knob from the environment only (a runtimeconfig.json
    /// property is ignored), so the AppHost sets it, and the generated Kubernetes manifests carry it.
    /// </summary>
    public static IResourceBuilder<T> WithServiceRuntimeSettings<T>(this IResourceBuilder<T> resource)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(Gen0BudgetVariable, Gen0Budget);

    /// <summary>The socket engine's switch that runs I/O continuations on its own threads (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>).</summary>
    public const string InlineSocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run inline on the socket engine's threads instead of being handed to the thread pool: one
    /// thread wake-up and context switch less per read and write. On this VM a context switch is the gateway's largest
    /// cost (`perf`: 20% of its samples in the hypervisor's interrupt-enable path under GET load). Side by side, GET
    /// /tasks/{id} at one Tasks replica went from 0.28 to 0.35 of a plain Kestrel "hello" (all services inline), and in
    /// full runs from 0.30 to 0.33 with the gateway and Tasks only; gateway ÷ nginx 0.47 → 0.53 (docs/BENCHMARKS.md). Only for services whose request paths are asynchronous end to end and light on CPU
    /// (the gateway, Tasks): code that blocks or computes for long (Users' password hashing) would stall every socket of
    /// that engine thread. The runtime reads the switch from the environment only.
    /// </summary>
    public static IResourceBuilder<T> WithInlineSocketCompletions<T>(this IResourceBuilder<T> resource)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(InlineSocketCompletionsVariable, "1");
}
