using MongoDB.Driver;

namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// The indexes behind every query in API.md. A non-admin list is "owned by me OR assigned to me", which MongoDB
/// answers with one index scan per branch merged in sort order, so each sort has an owner-prefixed and an
/// assignee-prefixed index ending in _id (the keyset tie-breaker); admins use the unprefixed ones. Selective
/// filters (status, tag) get their own prefixed indexes; <c>q</c> uses the text index. Creating an index that
/// exists with the same definition is a no-op, so this runs at every start, on every replica.
/// </summary>
public static class TaskIndexes
{
    /// <summary>No stemming, no stop words: a search word is matched as written (case-insensitively).</summary>
    public const string TextLanguage = "none";

    public static IReadOnlyList<CreateIndexModel<TaskDocument>> ForTasks()
    {
        var keys = Builders<TaskDocument>.IndexKeys;
        CreateIndexModel<TaskDocument> Index(string name, IndexKeysDefinition<TaskDocument> definition) =>
            new(definition, new CreateIndexOptions { Name = name });

        var byCreated = keys.Descending(d => d.CreatedAt).Descending(d => d.Id);
        return
        [
            Index("owner_createdAt", keys.Ascending(d => d.OwnerId).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("assignee_createdAt", keys.Ascending(d => d.AssigneeId).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("owner_dueDate", keys.Ascending(d => d.OwnerId).Ascending(d => d.DueDate).Ascending(d => d.Id)),
            Index("assignee_dueDate", keys.Ascending(d => d.AssigneeId).Ascending(d => d.DueDate).Ascending(d => d.Id)),
            Index("owner_priority", keys.Ascending(d => d.OwnerId).Ascending(d => d.Priority).Ascending(d => d.Id)),
            Index("assignee_priority", keys.Ascending(d => d.AssigneeId).Ascending(d => d.Priority).Ascending(d => d.Id)),
            Index("owner_status_createdAt", keys.Ascending(d => d.OwnerId).Ascending(d => d.Status).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("assignee_status_createdAt", keys.Ascending(d => d.AssigneeId).Ascending(d => d.Status).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("owner_tags_createdAt", keys.Ascending(d => d.OwnerId).Ascending(d => d.Tags).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("assignee_tags_createdAt", keys.Ascending(d => d.AssigneeId).Ascending(d => d.Tags).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("createdAt", byCreated),
            Index("dueDate", keys.Ascending(d => d.DueDate).Ascending(d => d.Id)),
            Index("priority", keys.Ascending(d => d.Priority).Ascending(d => d.Id)),
            Index("status_createdAt", keys.Ascending(d => d.Status).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("tags_createdAt", keys.Ascending(d => d.Tags).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            new(keys.Text(d => d.Title).Text(d => d.Description), new CreateIndexOptions { Name = "text_title_description", DefaultLanguage = TextLanguage }),
        ];
    }

    public static IReadOnlyList<CreateIndexModel<CommentDocument>> ForComments()
    {
        var keys = Builders<CommentDocument>.IndexKeys;
        return [new(keys.Ascending(d => d.TaskId).Ascending(d => d.CreatedAt).Ascending(d => d.Id), new CreateIndexOptions { Name = "task_createdAt" })];
    }
}
