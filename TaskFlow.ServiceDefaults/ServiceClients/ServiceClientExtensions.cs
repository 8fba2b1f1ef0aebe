namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How one TaskFlow service calls another: an HttpClient whose base address is the callee's AppHost resource name
/// (<c>http://users/</c>), resolved by service discovery like every client (see <see cref="Extensions"/>). Where the
/// callee answers is therefore service discovery's configuration (<c>services__users__http__0</c>, set by the AppHost
/// and the Kubernetes manifests), not a setting of each caller.
/// </summary>
public static class ServiceClientExtensions
{
    /// <summary>A named client (<see cref="IHttpClientFactory.CreateClient(string)"/> with <paramref name="service"/>).</summary>
    public static IHttpClientBuilder AddServiceClient(this IServiceCollection services, string service) =>
        services.AddHttpClient(service, http => http.BaseAddress = AddressOf(service));

    /// <summary>A typed client for <typeparamref name="TClient"/>.</summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, string service)
        where TClient : class =>
        services.AddHttpClient<TClient>(http => http.BaseAddress = AddressOf(service));

    /// <summary>The service-discovery address of an AppHost resource.</summary>
    private static Uri AddressOf(string service) => new($"http://{service}/");
}
