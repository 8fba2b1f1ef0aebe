namespace TaskFlow.Graph.Schema;

public sealed class UserType : ObjectGraphType<UserView>
{
    public UserType()
    {
        Name = "User";
        Description = "An account. email, roles and createdAt are shown only where REST shows them: to the account itself and to admins (me, user(id)).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("displayName").Resolve(c => c.Source.DisplayName);
        Field<StringGraphType>("email").Resolve(c => c.Source.Email);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("roles").Resolve(c => c.Source.Roles);
        Field<DateTimeGraphType>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}
