using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// Service-to-service clients go by the callee's resource name through the real service defaults: the address that
/// service discovery is given (<c>services:users:http:0</c>, as the AppHost and the Kubernetes manifests set it) is
/// where the request goes. Only the socket is replaced.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ServiceClientWiringTests
{
    private const string UsersEndpoint = "http://10.1.2.3:5101";

    private sealed class Typed(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    private static (IHost Host, ConcurrentQueue<Uri> Seen) Build(Action<IServiceCollection> addClient)
    {
        var seen = new ConcurrentQueue<Uri>();
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        builder.Configuration.AddInMemoryCollection([new("services:users:http:0", UsersEndpoint)]);
        addClient(builder.Services);
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => new StubHttpHandler(request =>
        {
            seen.Enqueue(request.RequestUri!);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        })));
        return (builder.Build(), seen);
    }

    [Fact]
    public async Task A_named_client_reaches_the_address_service_discovery_has_for_the_service()
    {
        var (host, seen) = Build(services => services.AddServiceClient("users"));
        using (host)
        {
            var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("users");
            Assert.Equal(new Uri("http://users/"), client.BaseAddress);

            using var response = await client.GetAsync("users/42");

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(new Uri(UsersEndpoint + "/users/42"), Assert.Single(seen));
        }
    }

    [Fact]
    public async Task A_typed_client_reaches_the_address_service_discovery_has_for_the_service()
    {
        var (host, seen) = Build(services => services.AddServiceClient<Typed>("users"));
        using (host)
        {
            var client = host.Services.GetRequiredService<Typed>().Http;

            using var response = await client.GetAsync("users/42");

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(new Uri(UsersEndpoint + "/users/42"), Assert.Single(seen));
        }
    }
}
