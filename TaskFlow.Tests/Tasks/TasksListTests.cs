using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Tasks;

/// <summary>GET /tasks: every filter and sort, visibility, cursor paging that survives concurrent inserts.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TasksListTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly TasksTestClient _api = new(fixture, fixture.CreateClient("tasks"));

    public void Dispose() => _api.Http.Dispose();

    [Fact]
    public async Task List_shows_owned_and_assigned_tasks_only()
    {
        var me = await _api.NewUserAsync();
        var other = await _api.NewUserAsync();
        var mine = await _api.CreateAsync(me.AccessToken, new { title = "mine" });
        var assignedToMe = await _api.CreateAsync(other.AccessToken, new { title = "assigned to me", assigneeId = me.Id });
        var notMine = await _api.CreateAsync(other.AccessToken, new { title = "not mine" });

        var ids = (await _api.ListAllAsync(me.AccessToken, "")).Select(t => t.Id).ToList();
        Assert.Equal([assignedToMe.Id, mine.Id], ids);
        Assert.DoesNotContain(notMine.Id, ids);
    }

    [Fact]
    public async Task Every_filter_selects_exactly_the_matching_tasks()
    {
        var me = await _api.NewUserAsync();
        var helper = await _api.NewUserAsync();
        var a = await _api.CreateAsync(me.AccessToken, new { title = "Alpha disk full", status = "todo", priority = "high", tags = new[] { "ops", "disk" }, dueDate = "2030-01-10T00:00:00Z" });
        var b = await _api.CreateAsync(me.AccessToken, new { title = "Beta", description = "the DISK is slow", status = "in_progress", priority = "low", tags = new[] { "ops" }, dueDate = "2030-02-10T00:00:00Z", assigneeId = helper.Id });
        var c = await _api.CreateAsync(me.AccessToken, new { title = "Gamma $where", status = "done", priority = "urgent", tags = new[] { "dev" } });

        async Task<string[]> Ids(string query) => (await _api.ListAllAsync(me.AccessToken, query)).Select(t => t.Id).Order().ToArray();
        string[] Of(params TasksTestClient.TaskDto[] tasks) => tasks.Select(t => t.Id).Order().ToArray();

        Assert.Equal(Of(a, b, c), await Ids(""));
        Assert.Equal(Of(b), await Ids("?status=in_progress"));
        Assert.Equal(Of(c), await Ids("?priority=urgent"));
        Assert.Equal(Of(b), await Ids($"?assigneeId={helper.Id}"));
        Assert.Equal(Of(a, b), await Ids("?tag=ops"));
        Assert.Equal(Of(a), await Ids("?tag=disk"));
        Assert.Equal(Of(a, b), await Ids("?q=disk"));
        Assert.Equal(Of(a), await Ids("?q=DISK%20full"));
        Assert.Equal(Of(a), await Ids("?dueBefore=2030-02-01T00:00:00Z"));
        Assert.Equal(Of(b), await Ids("?dueAfter=2030-02-01"));
        Assert.Equal(Of(b), await Ids("?dueAfter=2030-01-10T00:00:00Z&dueBefore=2031-01-01"));
        Assert.Equal(Of(a), await Ids("?tag=ops&status=todo&priority=high"));
        Assert.Empty(await Ids("?tag=ops&status=done"));
    }

    [Fact]
    public async Task Operator_smuggling_is_never_a_query()
    {
        var me = await _api.NewUserAsync();
        var plain = await _api.CreateAsync(me.AccessToken, new { title = "plain task" });
        var literal = await _api.CreateAsync(me.AccessToken, new { title = "uses $where and $lookup literally" });
        var all = (await _api.ListAllAsync(me.AccessToken, "")).Select(t => t.Id).Order().ToArray();
        Assert.Equal(new[] { literal.Id, plain.Id }.Order(), all);

        // Operator-shaped keys are not parameters: the result is the unfiltered list.
        Assert.Equal(all, (await _api.ListAllAsync(me.AccessToken, "?status[$ne]=x&priority[$gt]=")).Select(t => t.Id).Order());

        // Operators in q are text to find, never query syntax or JavaScript to run: "$lookup" finds the task that
        // contains it. ("where" is an English stop word, which MongoDB's text search may drop; either way $where
        // must not select the task that lacks it.)
        Assert.Equal([literal.Id], (await _api.ListAllAsync(me.AccessToken, "?q=%24lookup")).Select(t => t.Id));
        Assert.DoesNotContain(plain.Id, (await _api.ListAllAsync(me.AccessToken, "?q=%24where")).Select(t => t.Id));
        Assert.Empty(await _api.ListAllAsync(me.AccessToken, "?q=%7B%22%24gt%22%3A%22%22%7D"));
        // A leading minus is not a negation: as one, this would select the $lookup task.
        Assert.Empty(await _api.ListAllAsync(me.AccessToken, "?q=literally%20-plain"));

        using var objectStatus = await _api.SendAsync(HttpMethod.Get, "/tasks?status=%7B%22%24ne%22%3A%22x%22%7D", me.AccessToken);
        await TasksTestClient.ExpectValidationErrorAsync(objectStatus, "status");
    }

    [Theory]
    [InlineData("?status=blocked", "status")]
    [InlineData("?priority=max", "priority")]
    [InlineData("?sort=title", "sort")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?dueBefore=soon", "dueBefore")]
    [InlineData("?assigneeId=bob", "assigneeId")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    public async Task Invalid_list_parameters_are_400_with_the_field_named(string query, string field)
    {
        var me = await _api.NewUserAsync();
        using var response = await _api.SendAsync(HttpMethod.Get, "/tasks" + query, me.AccessToken);
        await TasksTestClient.ExpectValidationErrorAsync(response, field);
    }

    [Fact]
    public async Task Each_sort_orders_by_its_field_then_id()
    {
        var me = await _api.NewUserAsync();
        var created = new List<TasksTestClient.TaskDto>();
        string[] priorities = ["low", "urgent", "medium", "high", "medium"];
        string?[] dues = ["2030-03-01T00:00:00Z", null, "2030-01-01T00:00:00Z", "2030-03-01T00:00:00Z", null];
        for (var i = 0; i < priorities.Length; i++)
        {
            created.Add(await _api.CreateAsync(me.AccessToken, new { title = $"s{i}", priority = priorities[i], dueDate = dues[i] }));
        }

        static int Rank(string p) => Array.IndexOf(["low", "medium", "high", "urgent"], p);
        var byId = StringComparer.Ordinal;

        async Task AssertOrder(string sort, IEnumerable<TasksTestClient.TaskDto> expected)
        {
            // limit=2 forces the order to hold across page boundaries too.
            var listed = await _api.ListAllAsync(me.AccessToken, $"?sort={sort}&limit=2");
            Assert.Equal(expected.Select(t => t.Title), listed.Select(t => t.Title));
        }

        await AssertOrder("createdAt", created.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, byId));
        await AssertOrder("-createdAt", created.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id, byId));
        await AssertOrder("priority", created.OrderBy(t => Rank(t.Priority)).ThenBy(t => t.Id, byId));
        await AssertOrder("-priority", created.OrderByDescending(t => Rank(t.Priority)).ThenByDescending(t => t.Id, byId));
        // MongoDB's order: a missing due date sorts before any date.
        await AssertOrder("dueDate", created.OrderBy(t => t.DueDate ?? DateTime.MinValue).ThenBy(t => t.Id, byId));
        await AssertOrder("-dueDate", created.OrderByDescending(t => t.DueDate ?? DateTime.MinValue).ThenByDescending(t => t.Id, byId));
    }

    [Fact]
    public async Task A_cursor_is_rejected_when_tampered_or_reused_with_other_filters()
    {
        var me = await _api.NewUserAsync();
        for (var i = 0; i < 3; i++)
        {
            await _api.CreateAsync(me.AccessToken, new { title = $"c{i}", tags = new[] { "p" } });
        }

        var page = await _api.ListAsync(me.AccessToken, "?tag=p&limit=1");
        var cursor = Assert.IsType<string>(page.NextCursor);
        Assert.Single((await _api.ListAsync(me.AccessToken, $"?tag=p&limit=1&cursor={Uri.EscapeDataString(cursor)}")).Items);

        var tampered = cursor[..^2] + (cursor[^2] == 'A' ? 'B' : 'A') + cursor[^1];
        using var bad = await _api.SendAsync(HttpMethod.Get, $"/tasks?tag=p&limit=1&cursor={Uri.EscapeDataString(tampered)}", me.AccessToken);
        await TasksTestClient.ExpectValidationErrorAsync(bad, "cursor");

        using var otherQuery = await _api.SendAsync(HttpMethod.Get, $"/tasks?tag=q&limit=1&cursor={Uri.EscapeDataString(cursor)}", me.AccessToken);
        await TasksTestClient.ExpectValidationErrorAsync(otherQuery, "cursor");
        using var otherSort = await _api.SendAsync(HttpMethod.Get, $"/tasks?tag=p&sort=dueDate&cursor={Uri.EscapeDataString(cursor)}", me.AccessToken);
        await TasksTestClient.ExpectValidationErrorAsync(otherSort, "cursor");
    }

    [Fact]
    public async Task Paging_over_250_tasks_with_inserts_in_between_has_no_duplicates_and_no_gaps()
    {
        var me = await _api.NewUserAsync();
        var original = new List<string>();
        foreach (var batch in Enumerable.Range(0, 250).Chunk(10))
        {
            var created = await Task.WhenAll(batch.Select(i => _api.CreateAsync(me.AccessToken, new { title = $"bulk {i}", priority = (i % 4) switch { 0 => "low", 1 => "medium", 2 => "high", _ => "urgent" } })));
            original.AddRange(created.Select(t => t.Id));
        }

        foreach (var sort in new[] { "-createdAt", "createdAt", "-priority", "dueDate" })
        {
            var seen = new List<string>();
            string? cursor = null;
            var inserted = 0;
            do
            {
                var page = await _api.ListAsync(me.AccessToken, $"?sort={sort}&limit=23" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
                seen.AddRange(page.Items.Select(t => t.Id));
                cursor = page.NextCursor;

                // Someone keeps adding tasks while we page.
                await _api.CreateAsync(me.AccessToken, new { title = $"late {sort} {inserted++}", priority = "medium" });
            }
            while (cursor is not null);

            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Empty(original.Except(seen));
        }
    }
}
