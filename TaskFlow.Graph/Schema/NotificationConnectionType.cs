using GraphQL.Types;
using TaskFlow.Graph.Model;

namespace TaskFlow.Graph.Schema;

public sealed class NotificationConnectionType() : ConnectionType<NotificationType, NotificationView>("NotificationConnection");
