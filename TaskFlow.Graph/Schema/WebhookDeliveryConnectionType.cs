namespace TaskFlow.Graph.Schema;

public sealed class WebhookDeliveryConnectionType() : ConnectionType<WebhookDeliveryType, WebhookDeliveryView>("WebhookDeliveryConnection");
