namespace TaskFlow.Graph.Schema;

public sealed class WebhookConnectionType() : ConnectionType<WebhookType, WebhookView>("WebhookConnection");
