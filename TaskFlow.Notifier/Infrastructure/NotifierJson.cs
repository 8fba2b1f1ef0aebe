using System.Text.Json.Serialization;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>Source-generated JSON (web defaults) for what the live-stream path serialises per notification.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NotificationSignal))]
[JsonSerializable(typeof(NotificationSignal[]))]
[JsonSerializable(typeof(NotificationView))]
public sealed partial class NotifierJson : JsonSerializerContext;
