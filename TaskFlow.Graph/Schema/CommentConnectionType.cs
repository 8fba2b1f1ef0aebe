namespace TaskFlow.Graph.Schema;

public sealed class CommentConnectionType() : ConnectionType<CommentType, CommentView>("CommentConnection");
