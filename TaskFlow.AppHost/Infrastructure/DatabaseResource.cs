namespace TaskFlow.AppHost.Infrastructure;

/// <summary>
/// A database on a server TaskFlow provides itself (the local PostgreSQL process, either MongoDB server): its
/// connection string is the server's plus the database, joined the way that server's clients expect.
/// </summary>
public sealed class DatabaseResource(string name, string databaseName, IResourceWithConnectionString parent, string databaseSeparator)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    /// <summary>Joins a MongoDB URI and its database: <c>mongodb://host:port/tasksdb</c>.</summary>
    public const string MongoDBSeparator = "/";

    /// <summary>Joins an Npgsql connection string and its database: <c>Host=…;Database=usersdb</c>.</summary>
    public const string PostgresSeparator = ";Database=";

    public IResourceWithConnectionString Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{parent.ConnectionStringExpression}{databaseSeparator}{databaseName}");
}
