namespace TaskFlow.Graph.Schema;

public sealed class CommentType : ObjectGraphType<CommentView>
{
    public CommentType()
    {
        Name = "Comment";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("taskId").Resolve(c => c.Source.TaskId);
        Field<NonNullGraphType<IdGraphType>>("authorId").Resolve(c => c.Source.AuthorId);
        Field<NonNullGraphType<StringGraphType>>("body").Resolve(c => c.Source.Body);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<UserType>>("author")
            .Description("Loaded with every other user of the request in one batch.")
            .CallsPerBatch(GraphLimits.UserBatchSize)
            .Resolve(c => c.Request().Users.Load(c.Source.AuthorId));
    }
}
