using System.Buffers.Binary;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class HandshakeTests(MongoFixture fixture)
{
    private IMongoDatabase Admin => fixture.Client.GetDatabase("admin");

    [Fact]
    public async Task Ping_through_the_driver_succeeds()
    {
        var result = await Admin.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        Assert.Equal(1.0, result["ok"].ToDouble());
    }

    [Fact]
    public async Task Hello_describes_a_writable_standalone_without_topology_version()
    {
        var hello = await Admin.RunCommandAsync<BsonDocument>(new BsonDocument { { "hello", 1 }, { "helloOk", true } });
        Assert.True(hello["isWritablePrimary"].AsBoolean);
        Assert.False(hello.Contains("setName"));
        Assert.True(hello["maxWireVersion"].ToInt32() >= 17);
        Assert.True(hello["maxBsonObjectSize"].ToInt32() >= 16 * 1024 * 1024);
        Assert.True(hello["maxMessageSizeBytes"].ToInt32() > 0);
        Assert.True(hello["maxWriteBatchSize"].ToInt32() > 0);
        Assert.True(hello.Contains("localTime"));
        Assert.True(hello.Contains("connectionId"));
        Assert.Equal(30, hello["logicalSessionTimeoutMinutes"].ToInt32());
        if (!fixture.IsRealMongo)
        {
            Assert.False(hello.Contains("topologyVersion"));
        }

        var legacy = await Admin.RunCommandAsync<BsonDocument>(new BsonDocument("isMaster", 1));
        Assert.True(legacy["ismaster"].AsBoolean);
    }

    [Fact]
    public async Task BuildInfo_reports_a_version()
    {
        var info = await Admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1));
        Assert.Matches(@"^\d+\.\d+", info["version"].AsString);
        Assert.Equal(4, info["versionArray"].AsBsonArray.Count);
    }

    [Fact]
    public async Task Unknown_command_is_CommandNotFound()
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => Admin.RunCommandAsync<BsonDocument>(new BsonDocument("noSuchCommandAtAll", 1)));
        Assert.Equal(59, ex.Code);
        Assert.Equal("CommandNotFound", ex.CodeName);
    }

    [Fact]
    public async Task Create_list_drop_collections_and_databases()
    {
        var db = fixture.NewDatabase("adm");
        await db.CreateCollectionAsync("alpha");
        await db.CreateCollectionAsync("beta");
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => db.CreateCollectionAsync("alpha"));
        Assert.Equal(48, ex.Code);

        var names = await (await db.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["alpha", "beta"], names.Order());

        var filtered = await (await db.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", "beta") })).ToListAsync();
        Assert.Single(filtered);
        Assert.Equal("collection", filtered[0]["type"].AsString);

        var dbs = await (await fixture.Client.ListDatabaseNamesAsync()).ToListAsync();
        Assert.Contains(db.DatabaseNamespace.DatabaseName, dbs);

        await db.DropCollectionAsync("alpha");
        names = await (await db.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["beta"], names);

        await fixture.Client.DropDatabaseAsync(db.DatabaseNamespace.DatabaseName);
        dbs = await (await fixture.Client.ListDatabaseNamesAsync()).ToListAsync();
        Assert.DoesNotContain(db.DatabaseNamespace.DatabaseName, dbs);
        Assert.Empty(await (await db.ListCollectionNamesAsync()).ToListAsync());
    }

    [Fact]
    public async Task Many_concurrent_clients_are_served()
    {
        var db = fixture.NewDatabase("conc");
        var tasks = Enumerable.Range(0, 16).Select(async i =>
        {
            using var client = MongoFixture.CreateClient(fixture.ConnectionString);
            var coll = client.GetDatabase(db.DatabaseNamespace.DatabaseName).GetCollection<BsonDocument>("c");
            for (var k = 0; k < 20; k++)
            {
                await coll.InsertOneAsync(new BsonDocument { { "client", i }, { "k", k } });
            }
        });
        await Task.WhenAll(tasks);
        Assert.Equal(320, await db.GetCollection<BsonDocument>("c").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task Raw_op_msg_with_checksum_and_document_sequence_is_understood()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", fixture.Server!.Port);
        var stream = tcp.GetStream();
        var db = "t_raw_" + Guid.NewGuid().ToString("N")[..8];

        // insert with documents in a kind-1 section and the checksum flag set
        var body = new BsonDocument { { "insert", "c" }, { "$db", db } }.ToBson();
        var docs = new[] { new BsonDocument("x", 1).ToBson(), new BsonDocument("x", 2).ToBson() };
        var ident = "documents"u8.ToArray();
        var seqSize = 4 + ident.Length + 1 + docs.Sum(d => d.Length);
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(0); w.Write(7); w.Write(0); w.Write(2013);
        w.Write(1u); // checksumPresent
        w.Write((byte)0); w.Write(body);
        w.Write((byte)1); w.Write(seqSize); w.Write(ident); w.Write((byte)0);
        foreach (var d in docs)
        {
            w.Write(d);
        }

        w.Write(0u); // checksum (ignored by the stand-in)
        var msg = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(msg, msg.Length);
        await stream.WriteAsync(msg);
        var reply = await ReadReplyAsync(stream);
        Assert.Equal(2, reply["n"].ToInt32());
        Assert.Equal(2, await fixture.Client.GetDatabase(db).GetCollection<BsonDocument>("c").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        await fixture.Client.DropDatabaseAsync(db);
    }

    [Fact]
    public async Task Malformed_message_closes_the_connection_but_not_the_server()
    {
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", fixture.Server!.Port);
            var stream = tcp.GetStream();
            var garbage = new byte[64];
            BinaryPrimitives.WriteInt32LittleEndian(garbage, 64);
            BinaryPrimitives.WriteInt32LittleEndian(garbage.AsSpan(12), 2013);
            garbage[20] = 0; // body section with a bogus document length
            BinaryPrimitives.WriteInt32LittleEndian(garbage.AsSpan(21), 9999);
            await stream.WriteAsync(garbage);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            Assert.Equal(0, read); // closed by the server
        }

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", fixture.Server!.Port);
            var stream = tcp.GetStream();
            var tooBig = new byte[16];
            BinaryPrimitives.WriteInt32LittleEndian(tooBig, int.MaxValue);
            await stream.WriteAsync(tooBig);
            var read = await stream.ReadAsync(new byte[16]);
            Assert.Equal(0, read);
        }

        var ping = await Admin.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }

    [Fact]
    public async Task Legacy_op_query_handshake_gets_an_op_reply()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", fixture.Server!.Port);
        var stream = tcp.GetStream();
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(0); w.Write(42); w.Write(0); w.Write(2004);
        w.Write(0); w.Write("admin.$cmd"u8.ToArray()); w.Write((byte)0); w.Write(0); w.Write(-1);
        w.Write(new BsonDocument { { "isMaster", 1 }, { "client", new BsonDocument("application", new BsonDocument("name", "raw")) } }.ToBson());
        var msg = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(msg, msg.Length);
        await stream.WriteAsync(msg);

        var header = new byte[16];
        await stream.ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        Assert.Equal(42, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)));
        var rest = new byte[length - 16];
        await stream.ReadExactlyAsync(rest);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(rest.AsSpan(16)));
        var doc = BsonSerializerHelper.Read(rest.AsSpan(20).ToArray());
        Assert.True(doc["ismaster"].AsBoolean);
    }

    private static async Task<BsonDocument> ReadReplyAsync(NetworkStream stream)
    {
        var header = new byte[16];
        await stream.ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        Assert.Equal(2013, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)));
        var rest = new byte[length - 16];
        await stream.ReadExactlyAsync(rest);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(rest)); // no checksum flag on replies
        Assert.Equal(0, rest[4]);
        return BsonSerializerHelper.Read(rest.AsSpan(5).ToArray());
    }
}

internal static class BsonSerializerHelper
{
    public static BsonDocument Read(byte[] bytes) => MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(bytes);
}
