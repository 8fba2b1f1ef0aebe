using System.Collections.Concurrent;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// Shared by the benchmark (bench/TaskFlow.Bench) and the distributed tests (linked into TaskFlow.Tests).
namespace TaskFlow.Bench;

/// <summary>One span as exported over OTLP: enough to count traces and spans.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, bool IsRoot, string Name, DateTime StartUtc, DateTime EndUtc);

/// <summary>One log record of Warning level or above as exported over OTLP (category = the instrumentation scope).</summary>
internal sealed record ReceivedLog(string Service, string Category, int Severity, string Message, DateTime TimeUtc);

/// <summary>
/// A minimal OTLP/HTTP (protobuf) receiver the services export to during the benchmark (instead of a dashboard):
/// it decodes just the fields it counts (service.name, trace id, parent span id, name, start and end time) with a small
/// protobuf reader, keeps log records of Warning level and above, and discards metrics.
/// </summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>Log records with OTLP severity number 13 (WARN) or above.</summary>
    public ConcurrentQueue<ReceivedLog> Warnings { get; } = new();

    public string Endpoint { get; private set; } = "";

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Decode(body.ToArray());
            return Results.Ok();
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.DecodeLogs(body.ToArray());
            return Results.Ok();
        });
        app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Endpoint = app.Urls.First();
        return receiver;
    }

    /// <summary>Points every project of the AppHost at this receiver (OTLP/HTTP protobuf, 500 ms batches).</summary>
    public void ReceiveFrom(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "500");
        }
    }

    /// <summary>Traces (distinct ids) with a span that started in the window, from services.</summary>
    public int TracesStartedBetween(DateTime fromUtc, DateTime toUtc) =>
        Spans.Where(s => s.StartUtc >= fromUtc && s.StartUtc < toUtc).Select(s => s.TraceId).Distinct().Count();

    public IReadOnlyList<ReceivedSpan> SpansOf(string traceId) => [.. Spans.Where(s => s.TraceId == traceId)];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private void Decode(ReadOnlySpan<byte> request)
    {
        var reader = new ProtoReader(request);
        while (reader.Next(out var field, out var value))
        {
            if (field == 1)
            {
                DecodeResourceSpans(value);
            }
        }
    }

    // ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
    // ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
    // ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; } InstrumentationScope { string name = 1; }
    private void DecodeLogs(ReadOnlySpan<byte> request)
    {
        var reader = new ProtoReader(request);
        while (reader.Next(out var field, out var resourceLogs))
        {
            if (field != 1)
            {
                continue;
            }

            var service = "";
            var resource = new ProtoReader(resourceLogs);
            while (resource.Next(out var resourceField, out var value))
            {
                if (resourceField == 1)
                {
                    service = ServiceName(value);
                }
                else if (resourceField == 2)
                {
                    var category = "";
                    var scope = new ProtoReader(value);
                    while (scope.Next(out var scopeField, out var scopeValue))
                    {
                        if (scopeField == 1)
                        {
                            var name = new ProtoReader(scopeValue);
                            while (name.Next(out var nameField, out var nameValue))
                            {
                                if (nameField == 1)
                                {
                                    category = System.Text.Encoding.UTF8.GetString(nameValue);
                                }
                            }
                        }
                        else if (scopeField == 2 && DecodeLog(service, category, scopeValue) is { Severity: >= 13 } log)
                        {
                            Warnings.Enqueue(log);
                        }
                    }
                }
            }
        }
    }

    // LogRecord { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2; AnyValue body = 5; repeated KeyValue attributes = 6; fixed64 observed_time_unix_nano = 11; }
    private static ReceivedLog DecodeLog(string service, string category, ReadOnlySpan<byte> record)
    {
        var severity = 0;
        var message = "";
        var exception = "";
        var time = DateTime.MinValue;
        var reader = new ProtoReader(record);
        while (reader.Next(out var field, out var value, out var number))
        {
            switch (field)
            {
                case 1 or 11 when number > 0 && time == DateTime.MinValue:
                    time = DateTime.UnixEpoch.AddTicks((long)(number / 100));
                    break;
                case 2:
                    severity = (int)number;
                    break;
                case 5:
                    var any = new ProtoReader(value);
                    while (any.Next(out var anyField, out var anyValue))
                    {
                        if (anyField == 1)
                        {
                            message = System.Text.Encoding.UTF8.GetString(anyValue);
                        }
                    }

                    break;
                case 6:
                    // KeyValue { string key = 1; AnyValue value = 2; }: the exception (exception.type, .message), so
                    // that a failed test names what was thrown.
                    var (key, text) = KeyValueText(value);
                    if (key is "exception.type" or "exception.message" && text is not null)
                    {
                        exception = exception.Length == 0 ? text : $"{exception}: {text}";
                    }

                    break;
            }
        }

        return new ReceivedLog(service, category, severity, exception.Length == 0 ? message : $"{message} [{exception}]", time);
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    private void DecodeResourceSpans(ReadOnlySpan<byte> resourceSpans)
    {
        var service = "";
        var reader = new ProtoReader(resourceSpans);
        while (reader.Next(out var field, out var value))
        {
            if (field == 1)
            {
                service = ServiceName(value);
            }
            else if (field == 2)
            {
                // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
                var scope = new ProtoReader(value);
                while (scope.Next(out var scopeField, out var span))
                {
                    if (scopeField == 2)
                    {
                        Spans.Enqueue(DecodeSpan(service, span));
                    }
                }
            }
        }
    }

    // Resource { repeated KeyValue attributes = 1; }
    private static string ServiceName(ReadOnlySpan<byte> resource)
    {
        var reader = new ProtoReader(resource);
        while (reader.Next(out var field, out var attribute))
        {
            if (field == 1 && KeyValueText(attribute) is ("service.name", { } text))
            {
                return text;
            }
        }

        return "";
    }

    // KeyValue { string key = 1; AnyValue value = 2; } AnyValue { string string_value = 1; }: the key and the string value.
    private static (string? Key, string? Text) KeyValueText(ReadOnlySpan<byte> keyValue)
    {
        string? key = null, text = null;
        var kv = new ProtoReader(keyValue);
        while (kv.Next(out var kvField, out var kvValue))
        {
            if (kvField == 1)
            {
                key = System.Text.Encoding.UTF8.GetString(kvValue);
            }
            else if (kvField == 2)
            {
                var any = new ProtoReader(kvValue);
                while (any.Next(out var anyField, out var anyValue))
                {
                    if (anyField == 1)
                    {
                        text = System.Text.Encoding.UTF8.GetString(anyValue);
                    }
                }
            }
        }

        return (key, text);
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; }
    private static ReceivedSpan DecodeSpan(string service, ReadOnlySpan<byte> span)
    {
        string traceId = "", name = "";
        var isRoot = true;
        var start = DateTime.MinValue;
        var end = DateTime.MinValue;
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var value, out var fixed64))
        {
            switch (field)
            {
                case 1:
                    traceId = Convert.ToHexStringLower(value);
                    break;
                case 4:
                    isRoot = value.Length == 0;
                    break;
                case 5:
                    name = System.Text.Encoding.UTF8.GetString(value);
                    break;
                case 7:
                    start = DateTime.UnixEpoch.AddTicks((long)(fixed64 / 100));
                    break;
                case 8:
                    end = DateTime.UnixEpoch.AddTicks((long)(fixed64 / 100));
                    break;
            }
        }

        return new ReceivedSpan(service, traceId, isRoot, name, start, end);
    }

    /// <summary>Walks the fields of one protobuf message: varints, fixed64/32 and length-delimited values.</summary>
    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out ReadOnlySpan<byte> value) => Next(out field, out value, out _);

        public bool Next(out int field, out ReadOnlySpan<byte> value, out ulong number)
        {
            value = default;
            number = 0;
            field = 0;
            if (_position >= _data.Length)
            {
                return false;
            }

            var tag = ReadVarint();
            field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    number = ReadVarint();
                    break;
                case 1:
                    number = BitConverter.ToUInt64(_data.Slice(_position, 8));
                    _position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint();
                    value = _data.Slice(_position, length);
                    _position += length;
                    break;
                case 5:
                    number = BitConverter.ToUInt32(_data.Slice(_position, 4));
                    _position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7}.");
            }

            return true;
        }

        private ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            return result;
        }
    }
}
