namespace TaskFlow.AppHost.LocalMode;

/// <summary>A database on the local PostgreSQL server; its connection string names the database.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{parent.ConnectionStringExpression};Database={databaseName}");
}
