namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// The indexes behind every query in API.md. A non-admin list is "I am a participant (owner or assignee)", one
/// equality on the multikey <c>participants</c> field, so each sort has a participants-prefixed index ending in _id
/// (the keyset tie-breaker), and status gets one too; admins use the unprefixed ones. A tag filter of a non-admin
/// runs on the participants index (MongoDB cannot index two arrays, participants and tags, together); <c>q</c> uses
/// the text index. Creating an index that exists with the same definition is a no-op, so this runs at every start,
/// on every replica.
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
            Index("participants_createdAt", keys.Ascending(d => d.Participants).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("participants_dueDate", keys.Ascending(d => d.Participants).Ascending(d => d.DueDate).Ascending(d => d.Id)),
            Index("participants_priority", keys.Ascending(d => d.Participants).Ascending(d => d.Priority).Ascending(d => d.Id)),
            Index("participants_status_createdAt", keys.Ascending(d => d.Participants).Ascending(d => d.Status).Descending(d => d.CreatedAt).Descending(d => d.Id)),
            Index("assignee_createdAt", keys.Ascending(d => d.AssigneeId).Descending(d => d.CreatedAt).Descending(d => d.Id)),
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
