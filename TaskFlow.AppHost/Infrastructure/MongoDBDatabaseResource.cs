namespace TaskFlow.AppHost.Infrastructure;

/// <summary>A database on either MongoDB server; its connection string names the database, like Aspire's.</summary>
public sealed class MongoDBDatabaseResource(string name, string databaseName, IResourceWithConnectionString parent)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public IResourceWithConnectionString Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{parent.ConnectionStringExpression}/{databaseName}");
}
