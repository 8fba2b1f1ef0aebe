using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using TaskFlow.Messaging.Consuming;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// What the consumer calls a store outage (requeued, not counted as an attempt): the exceptions Npgsql really throws
/// when PostgreSQL is not there, also wrapped as EF Core's retrying strategy wraps them; never a handler's own failure.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StoreOutageTests
{
    [Fact]
    public async Task Connection_refused_by_a_stopped_postgres_is_an_outage_also_when_wrapped()
    {
        // A port nothing listens on: what a stopped PostgreSQL looks like to Npgsql.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;Timeout=2;Pooling=false");
        var refused = await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.True(StoreOutage.IsTransientDatabaseFailure(refused));
        Assert.True(StoreOutage.IsTransientDatabaseFailure(new RetryLimitExceededException("retries exhausted", refused)));
        Assert.True(StoreOutage.IsTransientDatabaseFailure(new InvalidOperationException("transient failure", new AggregateException(refused))));
    }

    [Fact]
    public void A_handler_failure_or_a_permanent_database_error_is_not_an_outage()
    {
        Assert.False(StoreOutage.IsTransientDatabaseFailure(new InvalidOperationException("poison event")));
        Assert.False(StoreOutage.IsTransientDatabaseFailure(new PostgresException("value too long", "ERROR", "ERROR", "22001")));
        Assert.False(StoreOutage.IsTransientDatabaseFailure(new HttpRequestException("webhook target down", new SocketException())));
    }
}
