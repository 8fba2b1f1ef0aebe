using System.Net.Sockets;
using TaskFlow.Webhooks.Delivery;

namespace TaskFlow.Tests.Webhooks;

/// <summary>The SSRF classifier, the guarded connect and the contract's retry defaults, without the app.</summary>
[Trait("Category", "Unit")]
public sealed class WebhookUnitTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressClassifier.Loopback)]
    [InlineData("127.255.0.9", AddressClassifier.Loopback)]
    [InlineData("::1", AddressClassifier.Loopback)]
    [InlineData("10.0.0.1", AddressClassifier.Private)]
    [InlineData("172.16.0.1", AddressClassifier.Private)]
    [InlineData("172.31.255.255", AddressClassifier.Private)]
    [InlineData("192.168.1.1", AddressClassifier.Private)]
    [InlineData("169.254.169.254", AddressClassifier.LinkLocal)]
    [InlineData("169.254.0.1", AddressClassifier.LinkLocal)]
    [InlineData("fe80::1", AddressClassifier.LinkLocal)]
    [InlineData("febf::1", AddressClassifier.LinkLocal)]
    [InlineData("100.64.0.1", AddressClassifier.SharedAddressSpace)]
    [InlineData("100.127.255.254", AddressClassifier.SharedAddressSpace)]
    [InlineData("0.0.0.0", AddressClassifier.Unspecified)]
    [InlineData("::", AddressClassifier.Unspecified)]
    [InlineData("224.0.0.1", AddressClassifier.Multicast)]
    [InlineData("ff02::1", AddressClassifier.Multicast)]
    [InlineData("255.255.255.255", AddressClassifier.Reserved)]
    [InlineData("fc00::1", AddressClassifier.UniqueLocal)]
    [InlineData("fd00:ec2::254", AddressClassifier.UniqueLocal)]
    [InlineData("::ffff:127.0.0.1", AddressClassifier.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressClassifier.Private)]
    [InlineData("::ffff:169.254.169.254", AddressClassifier.LinkLocal)]
    [InlineData("::ffff:100.64.1.1", AddressClassifier.SharedAddressSpace)]
    [InlineData("::10.1.2.3", AddressClassifier.Private)]
    [InlineData("::127.0.0.1", AddressClassifier.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressClassifier.LinkLocal)]
    [InlineData("2002:c0a8:0101::1", AddressClassifier.Private)]
    public void Forbidden_addresses_are_refused_with_their_class(string address, string expected) =>
        Assert.Equal(expected, AddressClassifier.Refusal(IPAddress.Parse(address), allowLoopback: false));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(AddressClassifier.Refusal(IPAddress.Parse(address), allowLoopback: false));

    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    [InlineData("::ffff:127.0.0.1", null)]
    [InlineData("10.0.0.1", AddressClassifier.Private)]
    [InlineData("169.254.169.254", AddressClassifier.LinkLocal)]
    public void Local_mode_allows_loopback_and_nothing_else(string address, string? expected) =>
        Assert.Equal(expected, AddressClassifier.Refusal(IPAddress.Parse(address), allowLoopback: true));

    [Fact]
    public async Task The_connect_callback_refuses_a_name_that_resolves_to_a_forbidden_address()
    {
        var lookups = 0;
        var connector = new GuardedConnector(allowLoopback: false, (_, _) =>
        {
            lookups++;
            return Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") });
        });
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = connector.ConnectAsync });
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://metadata.attacker.example/latest"));
        var refused = Assert.IsType<DestinationRefusedException>(ex.InnerException);
        Assert.Contains(AddressClassifier.LinkLocal, refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task The_connect_callback_connects_to_the_address_it_checked_not_to_a_second_lookup()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answers = new Queue<IPAddress[]>([[IPAddress.Loopback], [IPAddress.Parse("10.0.0.1")]]);
        var connector = new GuardedConnector(allowLoopback: true, (_, _) => Task.FromResult(answers.Dequeue()));
        using var handler = new SocketsHttpHandler { ConnectCallback = connector.ConnectAsync };
        using var invoker = new HttpMessageInvoker(handler);
        var accept = listener.AcceptTcpClientAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var send = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://rebinding.example:{port}/"), timeout.Token);
        using var accepted = await accept;
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address.MapToIPv4());
        Assert.Single(answers);
        accepted.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => send);
    }

    [Fact]
    public void The_default_schedule_is_the_contracts()
    {
        var options = new WebhookOptions();
        var schedule = options.Schedule();
        Assert.True(schedule.MaxAttempts >= 6);
        Assert.InRange(schedule.Span, TimeSpan.FromHours(20), TimeSpan.FromHours(30));
        Assert.True(schedule.DelayAfter(1, null, 0.999) < TimeSpan.FromSeconds(10), "the first retry within 10 s");
        Assert.Null(schedule.DelayAfter(schedule.MaxAttempts, null, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromDays(5), options.DisableAfterFailingFor);
        Assert.Equal(TimeSpan.FromHours(24), options.PreviousSecretLifetime);
        Assert.False(options.AllowLoopback);
        var delays = Enumerable.Range(1, schedule.MaxAttempts - 1).Select(n => schedule.DelayAfter(n, null, 0.5)).ToList();
        Assert.Equal(delays.Order(), delays);
    }

    [Fact]
    public void Retry_after_is_honoured_up_to_its_cap()
    {
        var schedule = new WebhookOptions().Schedule();
        Assert.Equal(TimeSpan.FromMinutes(30), schedule.DelayAfter(1, TimeSpan.FromMinutes(30), 0.5));
        Assert.Equal(TimeSpan.FromHours(1), schedule.DelayAfter(1, TimeSpan.FromDays(2), 0.5));
        Assert.Equal(TimeSpan.FromSeconds(5), schedule.DelayAfter(1, TimeSpan.FromSeconds(1), 0.5));
    }
}
