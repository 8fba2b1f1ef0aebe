using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Notifications;

/// <summary>Talks to the fixture's real RabbitMQ as a raw AMQP client: publish bytes to the exchange, read a queue.</summary>
public sealed class BrokerClient : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private BrokerClient(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IChannel Channel => _channel;

    public IConnection Connection => _connection;

    public static async Task<BrokerClient> ConnectAsync(TaskFlowAppFixture fixture)
    {
        var connectionString = await fixture.GetConnectionStringAsync("rabbitmq")
            ?? throw new InvalidOperationException("No rabbitmq connection string.");
        var factory = new ConnectionFactory { Uri = new Uri(connectionString), ClientProvidedName = "taskflow-tests" };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await MessagingTopology.DeclareExchangeAsync(channel, CancellationToken.None);
        return new BrokerClient(connection, channel);
    }

    /// <summary>Connects, retrying while the broker is (re)starting.</summary>
    public static async Task<BrokerClient> ConnectWithRetryAsync(TaskFlowAppFixture fixture)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await ConnectAsync(fixture);
            }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Publishes raw bytes to <c>taskflow.events</c>, as a (possibly misbehaving) publisher would.</summary>
    public async Task PublishRawAsync(string routingKey, ReadOnlyMemory<byte> body, string messageId)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = IntegrationEventEnvelope.MediaType,
            MessageId = messageId,
            Type = routingKey,
        };
        await _channel.BasicPublishAsync(MessagingTopology.ExchangeName, routingKey, mandatory: false, properties, body);
    }

    public Task PublishAsync<TEvent>(TEvent data, Guid? id = null, ActivityContext? traceContext = null) where TEvent : class, IIntegrationEvent
    {
        var envelope = IntegrationEventEnvelope.Create(data, subject: "tests", source: "/taskflow/tests", id: id, traceContext: traceContext);
        return PublishRawAsync(envelope.Type!, IntegrationEventEnvelope.Encode(envelope), envelope.Id!);
    }

    /// <summary>Drains what is in a queue now (acknowledging it), returning the messages.</summary>
    public async Task<List<(IReadOnlyBasicProperties Properties, byte[] Body)>> DrainAsync(string queue)
    {
        var messages = new List<(IReadOnlyBasicProperties, byte[])>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add((result.BasicProperties, result.Body.ToArray()));
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>Reads what the Notifier stored, straight from its PostgreSQL database.</summary>
public static class NotificationsStore
{
    public static async Task<long> CountAsync(TaskFlowAppFixture fixture, string whereSql, params (string Name, object Value)[] parameters)
    {
        var connectionString = await fixture.GetConnectionStringAsync("notificationsdb")
            ?? throw new InvalidOperationException("No notificationsdb connection string.");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {whereSql}", connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}

/// <summary>Creates tasks through the Tasks API, as a client would.</summary>
public static class TasksClient
{
    public sealed record CreatedTask(string Id, string OwnerId, string? AssigneeId, long Version, DateTimeOffset CreatedAt);

    public static async Task<CreatedTask> CreateAsync(HttpClient tasks, string token, object input)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(input) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await tasks.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /tasks: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<CreatedTask>(body, JsonSerializerOptions.Web) ?? throw new InvalidOperationException("Empty task.");
    }
}

/// <summary>
/// A plain client for one service's endpoint, without the fixture's shared resilience pipeline: tests that poll
/// across a broker outage must see each answer as it is, and must not trip a circuit shared with other clients.
/// </summary>
public static class PlainClients
{
    public static HttpClient Create(TaskFlowAppFixture fixture, string resource) =>
        new() { BaseAddress = fixture.App.GetEndpoint(resource, "http"), Timeout = TimeSpan.FromSeconds(30) };
}

/// <summary>Client-side helpers for the Notifications API.</summary>
public static class NotificationsApiClient
{
    public sealed record NotificationDto(Guid Id, string Type, Guid TaskId, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    public sealed record PageDto(List<NotificationDto> Items, string? NextCursor);

    public static async Task<PageDto> ListAsync(HttpClient client, string token, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<PageDto>(body, JsonSerializerOptions.Web) ?? throw new InvalidOperationException("Empty page.");
    }

    /// <summary>Polls the caller's inbox until a notification about <paramref name="taskId"/> shows up.</summary>
    public static async Task<(NotificationDto Notification, TimeSpan Elapsed)> WaitForAsync(HttpClient client, string token, Guid taskId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var page = await ListAsync(client, token, "?limit=100");
            var found = page.Items.FirstOrDefault(n => n.TaskId == taskId);
            if (found is not null)
            {
                return (found, clock.Elapsed);
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"No notification for task {taskId} within {timeout}.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>An open <c>/notifications/stream</c>: reads server-sent events line by line.</summary>
    public sealed class EventStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private EventStream(HttpResponseMessage response, StreamReader reader, string greeting)
        {
            _response = response;
            _reader = reader;
            Greeting = greeting;
        }

        /// <summary>The opening comment line, e.g. <c>: connected replica=host-1234</c>.</summary>
        public string Greeting { get; }

        public string Replica => Greeting[(Greeting.IndexOf("replica=", StringComparison.Ordinal) + "replica=".Length)..];

        public HttpResponseMessage Response => _response;

        public static async Task<EventStream> OpenAsync(HttpClient client, string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
            var greeting = await reader.ReadLineAsync() ?? "";
            Assert.StartsWith(": connected", greeting, StringComparison.Ordinal);
            return new EventStream(response, reader, greeting);
        }

        /// <summary>The data of the next <c>notification</c> event (comments and pings skipped).</summary>
        public async Task<NotificationDto> NextAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            string? eventName = null;
            while (true)
            {
                var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The stream ended.");
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    eventName = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "notification")
                {
                    return JsonSerializer.Deserialize<NotificationDto>(line["data: ".Length..], JsonSerializerOptions.Web)
                        ?? throw new InvalidOperationException("Empty event.");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            await Task.CompletedTask;
        }
    }
}
