using GraphQL.Types;
using TaskFlow.Graph.Model;

namespace TaskFlow.Graph.Schema;

public sealed class CommentConnectionType() : ConnectionType<CommentType, CommentView>("CommentConnection");
