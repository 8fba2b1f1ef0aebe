using Npgsql;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Webhooks;

/// <summary>
/// Two Webhooks replicas that start together on a fresh database share one Data Protection key: the first key is
/// created once under the migrations' lock. Before, each replica created its own at start, and a secret protected
/// with one replica's key did not decrypt on the other (its deliveries failed "could not be prepared" there).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class KeyRingBootstrapTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Replicas_starting_together_create_one_key_and_it_is_stored_encrypted()
    {
        var connectionString = await fixture.GetConnectionStringAsync(TaskFlow.Webhooks.WebhooksResources.Database)
            ?? throw new InvalidOperationException("No webhooksdb connection string.");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Xml" FROM data_protection_keys""", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        var key = Assert.Single(keys);
        Assert.Contains("taskflowEncryptedKey", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
    }
}
