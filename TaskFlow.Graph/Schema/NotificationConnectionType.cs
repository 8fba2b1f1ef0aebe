namespace TaskFlow.Graph.Schema;

public sealed class NotificationConnectionType() : ConnectionType<NotificationType, NotificationView>("NotificationConnection");
