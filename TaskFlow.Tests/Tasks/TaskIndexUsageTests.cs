using TaskFlow.Messaging.Outbox.MongoDB;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using TaskFlow.ServiceDefaults.Errors;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.Apis.Requests;
using TaskFlow.Tasks.Model;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Tasks;

/// <summary>
/// Repository logic against the MongoDB stand-in through MongoDB.Driver: the indexes the service creates at start
/// exist, and every list query of API.md is answered from them (documents examined stay proportional to the
/// caller's own tasks, not to the collection), checked with <c>explain</c> executionStats.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TaskIndexUsageTests(TaskFlowAppFixture fixture)
{
    private async Task<IMongoDatabase> DatabaseAsync()
    {
        var connectionString = await fixture.GetConnectionStringAsync("tasksdb") ?? throw new InvalidOperationException("no tasksdb");
        return new MongoClient(connectionString).GetDatabase(MongoUrl.Create(connectionString).DatabaseName ?? "tasksdb");
    }

    [Fact]
    public async Task The_service_created_every_index_at_startup()
    {
        var database = await DatabaseAsync();
        var names = await (await database.GetCollection<BsonDocument>("tasks").Indexes.ListAsync()).ToListAsync();
        var expected = TaskIndexes.ForTasks().Select(i => i.Options.Name);
        Assert.Empty(expected.Except(names.Select(n => n["name"].AsString)));

        var commentIndexes = await (await database.GetCollection<BsonDocument>("comments").Indexes.ListAsync()).ToListAsync();
        Assert.Contains(commentIndexes, i => i["name"].AsString == "task_createdAt");
    }

    [Fact]
    public async Task List_queries_examine_only_the_callers_tasks_not_the_collection()
    {
        var database = await DatabaseAsync();
        var repository = new TaskRepository(database, new MongoOutboxHandoff(new MongoOutboxOptions()));
        var me = Guid.NewGuid().ToString();
        var someoneElse = Guid.NewGuid().ToString();
        var now = DateTime.UtcNow;

        // 30 tasks of mine (10 assigned to me by someone else) among 300 of someone else.
        var mine = Enumerable.Range(0, 30).Select(i => Task(i < 20 ? me : someoneElse, i < 20 ? null : me, i, now)).ToList();
        var others = Enumerable.Range(0, 300).Select(i => Task(someoneElse, null, i, now)).ToList();
        await repository.Collection.InsertManyAsync(mine.Concat(others).Select(t => TaskDocument.From(t, [])));
        var collectionSize = await repository.Collection.EstimatedDocumentCountAsync();
        Assert.True(collectionSize >= 330);

        var scope = ListScope.OwnedOrAssigned(me);
        string[] queries = ["", "?status=done", "?tag=t3", "?sort=dueDate", "?sort=-priority", "?priority=high&sort=createdAt", "?dueBefore=2100-01-01", "?assigneeId=" + me];
        foreach (var queryString in queries)
        {
            var errors = new ValidationErrors();
            var query = TaskQueryParameters.ReadTaskList(new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString)), errors);
            Assert.NotNull(query);
            var stats = await ExplainAsync(database, TaskQueries.ForList(scope, query, null), TaskQueries.SortFor(query.Sort), query.Paging.Limit + 1);
            var examined = stats["totalDocsExamined"].ToInt64();
            Assert.True(examined <= mine.Count, $"{queryString}: examined {examined} documents of {collectionSize} for a caller with {mine.Count} tasks");

            var page = await repository.ListAsync(scope, query, null, CancellationToken.None);
            Assert.All(page.Items, t => Assert.True(t.OwnerId == me || t.AssigneeId == me));
        }
    }

    private static TaskItem Task(string owner, string? assignee, int i, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(now.AddMilliseconds(i)).ToString(),
        OwnerId = owner,
        AssigneeId = assignee,
        Title = $"index probe {i}",
        Status = (TaskItemStatus)(i % 3),
        Priority = (TaskPriority)(i % 4),
        DueDate = i % 2 == 0 ? null : Timestamps.Truncate(now.AddDays(i)),
        Tags = [$"t{i % 5}"],
        CreatedAt = Timestamps.Truncate(now.AddMilliseconds(i)),
        UpdatedAt = Timestamps.Truncate(now.AddMilliseconds(i)),
        Version = 1,
    };

    private static async Task<BsonDocument> ExplainAsync(IMongoDatabase database, FilterDefinition<TaskDocument> filter, SortDefinition<TaskDocument> sort, int limit)
    {
        var args = new RenderArgs<TaskDocument>(BsonSerializer.LookupSerializer<TaskDocument>(), BsonSerializer.SerializerRegistry);
        var result = await database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "explain", new BsonDocument { { "find", TaskDocument.CollectionName }, { "filter", filter.Render(args) }, { "sort", sort.Render(args) }, { "limit", limit } } },
            { "verbosity", "executionStats" },
        });
        return result["executionStats"].AsBsonDocument;
    }
}
