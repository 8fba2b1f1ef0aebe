using System.Diagnostics;
using System.Text;
using System.Text.Json;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;

namespace TaskFlow.Tests.Messaging;

[Trait("Category", "Unit")]
public sealed class EnvelopeTests
{
    [Fact]
    public void Every_contract_round_trips_through_the_cloudevents_envelope()
    {
        foreach (var evt in SampleEvents.All())
        {
            var envelope = IntegrationEventEnvelope.Create(evt, "things/1");
            var bytes = IntegrationEventEnvelope.Encode(envelope);

            Assert.True(IntegrationEventEnvelope.TryRead(bytes, out var incoming, out var error), error);
            Assert.Equal(evt.GetType(), incoming.Data.GetType());
            Assert.Equal(
                JsonSerializer.Serialize(evt, evt.GetType(), IntegrationEventEnvelope.SerializerOptions),
                JsonSerializer.Serialize(incoming.Data, incoming.Data.GetType(), IntegrationEventEnvelope.SerializerOptions));
            Assert.Equal(envelope.Id, incoming.EventId.ToString());
            Assert.Equal(IntegrationEventRegistry.Get(evt.GetType()).EventType, incoming.EventType);
            Assert.Equal("things/1", incoming.Subject);
            Assert.Equal(evt.OccurredAt, incoming.Time);
        }
    }

    [Fact]
    public void Envelope_json_carries_the_cloudevents_attributes()
    {
        var evt = new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), null, "T", "todo", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var json = IntegrationEventEnvelope.EncodeToString(IntegrationEventEnvelope.Create(evt, $"tasks/{evt.TaskId}", source: "/taskflow/tasks"));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("task.created", root.GetProperty("type").GetString());
        Assert.Equal("/taskflow/tasks", root.GetProperty("source").GetString());
        Assert.Equal($"tasks/{evt.TaskId}", root.GetProperty("subject").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
        Assert.Equal("urn:taskflow:schemas:task.created:v1", root.GetProperty("dataschema").GetString());
        Assert.True(Guid.TryParse(root.GetProperty("id").GetString(), out var id));
        Assert.Equal(7, id.Version);
        Assert.True(root.TryGetProperty("time", out _));
        Assert.Equal(evt.TaskId, root.GetProperty("data").GetProperty("taskId").GetGuid());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("data").GetProperty("assigneeId").ValueKind);
    }

    [Fact]
    public void Traceparent_of_the_current_activity_is_carried_and_restored()
    {
        using var source = new ActivitySource("TaskFlow.Tests.Envelope");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var request = source.StartActivity("POST /tasks");
        Assert.NotNull(request);
        request.TraceStateString = "vendor=1";
        var evt = new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), null, "T", "todo", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var bytes = IntegrationEventEnvelope.Encode(IntegrationEventEnvelope.Create(evt, "tasks/x"));
        request.Stop();

        using (var doc = JsonDocument.Parse(bytes))
        {
            Assert.Equal($"00-{request.TraceId}-{request.SpanId}-01", doc.RootElement.GetProperty("traceparent").GetString());
            Assert.Equal("vendor=1", doc.RootElement.GetProperty("tracestate").GetString());
        }

        Assert.True(IntegrationEventEnvelope.TryRead(bytes, out var incoming, out var error), error);
        Assert.Equal(request.TraceId, incoming.TraceContext.TraceId);
        Assert.Equal(request.SpanId, incoming.TraceContext.SpanId);
        Assert.True(incoming.TraceContext.IsRemote);
        Assert.Equal("vendor=1", incoming.TraceContext.TraceState);
    }

    [Fact]
    public void Without_an_activity_the_envelope_has_no_traceparent()
    {
        Activity.Current = null;
        var evt = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "T", Guid.NewGuid(), 2, DateTimeOffset.UtcNow);
        var bytes = IntegrationEventEnvelope.Encode(IntegrationEventEnvelope.Create(evt, "tasks/x"));
        using var doc = JsonDocument.Parse(bytes);
        Assert.False(doc.RootElement.TryGetProperty("traceparent", out _));
        Assert.True(IntegrationEventEnvelope.TryRead(bytes, out var incoming, out _));
        Assert.Equal(default, incoming.TraceContext);
    }

    public static TheoryData<string, string> BadMessages => new()
    {
        { "not json", "this is not json" },
        { "json but not a cloudevent", """{"hello":"world"}""" },
        { "unknown type", Envelope("task.exploded", Guid.NewGuid().ToString(), """{"taskId":"x"}""") },
        { "id not a uuid", Envelope("task.deleted", "42", ValidDeletedData()) },
        { "schema-invalid data", Envelope("task.deleted", Guid.NewGuid().ToString(), """{"taskId":"not-a-uuid"}""") },
        { "data missing", """{"specversion":"1.0","id":"8a4e0b3c-2f7e-4b8a-9d0e-1c2b3a4d5e6f","source":"/t","type":"task.deleted"}""" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public void TryRead_rejects_bad_messages_without_throwing(string because, string body)
    {
        Assert.False(IntegrationEventEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out var incoming, out var error), because);
        Assert.Null(incoming);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void A_hand_written_valid_envelope_is_accepted()
    {
        var id = Guid.NewGuid();
        Assert.True(IntegrationEventEnvelope.TryRead(Encoding.UTF8.GetBytes(Envelope("task.deleted", id.ToString(), ValidDeletedData())), out var incoming, out var error), error);
        Assert.Equal(id, incoming.EventId);
        Assert.IsType<TaskDeleted>(incoming.Data);
    }

    internal static string Envelope(string type, string id, string data) =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"/tests","type":"{{type}}","time":"2026-01-01T00:00:00Z","datacontenttype":"application/json","data":{{data}}}""";

    private static string ValidDeletedData() =>
        $$"""{"taskId":"{{Guid.NewGuid()}}","ownerId":"{{Guid.NewGuid()}}","assigneeId":null,"title":"T","actorId":"{{Guid.NewGuid()}}","version":2,"occurredAt":"2026-01-01T00:00:00Z"}""";
}
