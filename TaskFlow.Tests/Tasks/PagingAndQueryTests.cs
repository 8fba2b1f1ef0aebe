using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using TaskFlow.ServiceDefaults.Errors;
using TaskFlow.Tasks.Apis;
using TaskFlow.Tasks.Apis.Requests;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.Model;

namespace TaskFlow.Tests.Tasks;

[Trait("Category", "Unit")]
public sealed class PageCursorTests
{
    private static readonly PageCursor Sample = new("-createdAt", 1_700_000_000_123, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "abcdef0123456789");

    [Fact]
    public void A_cursor_round_trips_as_an_opaque_base64url_token()
    {
        var token = Sample.Encode();
        Assert.True(Base64Url.IsValid(token));
        Assert.DoesNotContain("createdAt", token, StringComparison.Ordinal);
        Assert.Equal(Sample, PageCursor.Decode(token, Sample.Sort, Sample.Fingerprint, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void A_null_sort_value_round_trips()
    {
        var cursor = Sample with { Sort = "dueDate", Value = null };
        Assert.Equal(cursor, PageCursor.Decode(cursor.Encode(), "dueDate", cursor.Fingerprint, out _));
    }

    [Fact]
    public void Any_changed_byte_makes_the_token_invalid()
    {
        var bytes = Base64Url.DecodeFromChars(Sample.Encode());
        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            Assert.Null(PageCursor.Decode(Base64Url.EncodeToString(tampered), Sample.Sort, Sample.Fingerprint, out var error));
            Assert.NotNull(error);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("eyJ2IjoxfQ")]
    public void Garbage_is_rejected(string token) =>
        Assert.Null(PageCursor.Decode(token, Sample.Sort, Sample.Fingerprint, out _));

    [Fact]
    public void An_overlong_token_is_rejected_without_decoding() =>
        Assert.Null(PageCursor.Decode(new string('A', 4000), Sample.Sort, Sample.Fingerprint, out _));

    [Fact]
    public void A_cursor_is_bound_to_its_sort_and_query()
    {
        var token = Sample.Encode();
        Assert.Null(PageCursor.Decode(token, "dueDate", Sample.Fingerprint, out var sortError));
        Assert.Contains("different query", sortError, StringComparison.Ordinal);
        Assert.Null(PageCursor.Decode(token, Sample.Sort, "0000000000000000", out var queryError));
        Assert.Contains("different query", queryError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"v":1,"s":"-createdAt","x":"soon","i":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","f":"abcdef0123456789"}""")]
    [InlineData("""{"v":1,"s":"-createdAt","x":1,"i":{"$gt":""},"f":"abcdef0123456789"}""")]
    [InlineData("""{"v":1,"s":"-createdAt","x":1,"i":"x","f":"abcdef0123456789"}""")]
    [InlineData("""{"v":2,"s":"-createdAt","x":1,"i":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","f":"abcdef0123456789"}""")]
    [InlineData("""[1,2,3]""")]
    public void A_well_checksummed_but_malformed_payload_is_rejected_not_thrown(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var token = Base64Url.EncodeToString([.. bytes, .. SHA256.HashData(bytes).AsSpan(0, 8)]);
        Assert.Null(PageCursor.Decode(token, "-createdAt", "abcdef0123456789", out _));
    }

    [Fact]
    public void Sort_fields_accept_only_values_of_their_kind()
    {
        Assert.True(TaskSort.All["priority"].Accepts(3));
        Assert.False(TaskSort.All["priority"].Accepts(4));
        Assert.False(TaskSort.All["-createdAt"].Accepts(null));
        Assert.True(TaskSort.All["dueDate"].Accepts(null));
        Assert.False(TaskSort.All["dueDate"].Accepts(long.MaxValue));
    }
}

[Trait("Category", "Unit")]
public sealed class TaskListQueryTests
{
    private static TaskListQuery? Parse(string queryString, out IDictionary<string, string[]> errors)
    {
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        var collector = new ValidationErrors();
        var query = TaskQueryParameters.ReadTaskList(new QueryCollection(parsed), collector);
        errors = collector.ToDictionary();
        return query;
    }

    [Fact]
    public void Defaults_are_newest_first_twenty_per_page()
    {
        var query = Parse("", out var errors);
        Assert.Empty(errors);
        Assert.NotNull(query);
        Assert.Equal("-createdAt", query.Sort.Key);
        Assert.Equal(20, query.Paging.Limit);
        Assert.Null(query.Paging.Cursor);
        Assert.Empty(query.SearchTerms);
    }

    [Fact]
    public void Every_documented_filter_and_sort_is_parsed()
    {
        var query = Parse("?status=in_progress&priority=high&assigneeId=6F9619FF-8B86-D011-B42D-00C04FC964FF&tag=ops&q=disk%20full" +
                          "&dueBefore=2030-01-01&dueAfter=2029-01-01T00:00:00Z&sort=-priority&limit=100&cursor=abc", out var errors);
        Assert.Empty(errors);
        Assert.NotNull(query);
        Assert.Equal(TaskItemStatus.InProgress, query.Status);
        Assert.Equal(TaskPriority.High, query.Priority);
        Assert.Equal("6f9619ff-8b86-d011-b42d-00c04fc964ff", query.AssigneeId);
        Assert.Equal("ops", query.Tag);
        Assert.Equal(["disk", "full"], query.SearchTerms);
        Assert.Equal(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), query.DueBefore);
        Assert.Equal(new DateTime(2029, 1, 1, 0, 0, 0, DateTimeKind.Utc), query.DueAfter);
        Assert.Equal(TaskSort.All["-priority"], query.Sort);
        Assert.Equal(100, query.Paging.Limit);
        Assert.Equal("abc", query.Paging.Cursor);
    }

    [Theory]
    [InlineData("?status=blocked", "status")]
    [InlineData("?status=todo&status=done", "status")]
    [InlineData("?priority=0", "priority")]
    [InlineData("?assigneeId=me", "assigneeId")]
    [InlineData("?dueBefore=yesterday", "dueBefore")]
    [InlineData("?dueAfter=1700000000", "dueAfter")]
    [InlineData("?sort=title", "sort")]
    [InlineData("?sort=-createdAt,title", "sort")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=-5", "limit")]
    public void Invalid_parameters_are_reported_by_name(string queryString, string field)
    {
        Assert.Null(Parse(queryString, out var errors));
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Operator_shaped_keys_are_not_parameters_and_are_ignored()
    {
        var query = Parse("?status[$ne]=x&priority[$gt]=&$where=1", out var errors);
        Assert.Empty(errors);
        Assert.NotNull(query);
        Assert.Null(query.Status);
        Assert.Null(query.Priority);
    }

    [Fact]
    public void Search_words_are_literal_quotes_are_dropped_and_duplicates_merged()
    {
        Assert.Equal(["$where", "-x", "phrase", "a"], TaskQueryParameters.SplitTerms("  $where -x \"phrase\" a A "));
    }

    [Fact]
    public void The_fingerprint_covers_filters_and_sort_but_not_paging()
    {
        var basis = Parse("?status=todo&sort=dueDate", out _)?.Fingerprint;
        Assert.Equal(basis, Parse("?status=todo&sort=dueDate&limit=5&cursor=zzz", out _)?.Fingerprint);
        Assert.NotEqual(basis, Parse("?status=done&sort=dueDate", out _)?.Fingerprint);
        Assert.NotEqual(basis, Parse("?status=todo&sort=-dueDate", out _)?.Fingerprint);
        Assert.NotEqual(basis, Parse("?status=todo&sort=dueDate&tag=x", out _)?.Fingerprint);
    }
}

[Trait("Category", "Unit")]
public sealed class EntityTagTests
{
    [Fact]
    public void Tags_are_strong_and_version_based() => Assert.Equal("\"v7\"", EntityTags.For(7));

    [Theory]
    [InlineData(null, true)]
    [InlineData("\"v3\"", true)]
    [InlineData("\"v2\"", false)]
    [InlineData("W/\"v3\"", false)]
    [InlineData("\"v1\", \"v3\"", true)]
    [InlineData("*", true)]
    [InlineData("garbage", false)]
    public void If_match_uses_strong_comparison(string? header, bool allowed) =>
        Assert.Equal(allowed, EntityTags.IfMatch(header is null ? StringValues.Empty : new StringValues(header)).Allows(3));

    [Theory]
    [InlineData(null, false)]
    [InlineData("\"v3\"", true)]
    [InlineData("W/\"v3\"", true)]
    [InlineData("\"v2\"", false)]
    [InlineData("\"v2\", W/\"v3\"", true)]
    [InlineData("*", true)]
    public void If_none_match_uses_weak_comparison(string? header, bool hit) =>
        Assert.Equal(hit, EntityTags.IfNoneMatchHits(header is null ? StringValues.Empty : new StringValues(header), 3));
}

/// <summary>How <c>TasksApi</c> puts a failure's answer into a route's own <c>Results&lt;…&gt;</c>.</summary>
[Trait("Category", "Unit")]
public sealed class ResultUnionTests
{
    [Fact]
    public void A_declared_result_goes_into_the_union_as_itself()
    {
        var problem = TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed);

        Assert.IsType<NotFound>(ResultUnion<Results<Ok<string>, NotFound, ProblemHttpResult>>.From(TypedResults.NotFound()).Result);
        Assert.Same(problem, ResultUnion<Results<Ok<string>, NotFound, ProblemHttpResult>>.From(problem).Result);
    }

    [Fact]
    public void A_result_the_union_does_not_declare_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => ResultUnion<Results<Ok<string>, NotFound>>.From(TypedResults.Forbid()));
}

[Trait("Category", "Unit")]
public sealed class TaskQueriesTests
{
    private static BsonDocument Render(FilterDefinition<TaskDocument> filter) =>
        filter.Render(new RenderArgs<TaskDocument>(BsonSerializer.LookupSerializer<TaskDocument>(), BsonSerializer.SerializerRegistry));

    [Fact]
    public void Search_words_become_quoted_literal_phrases()
    {
        Assert.Equal("\"$where\" \"-x\" \"a\\b\"".Replace("\\", string.Empty, StringComparison.Ordinal),
            TaskQueries.TextSearch(["$where", "-x", "a\\b"]));
        Assert.Equal("\"ab\"", TaskQueries.TextSearch(["a\"b"]));
    }

    [Fact]
    public void User_values_stay_values_in_the_rendered_filter()
    {
        var query = new TaskListQuery
        {
            Tag = "{\"$gt\":\"\"}",
            SearchTerms = ["$where"],
            Paging = new Paging(20, null),
        };
        var rendered = Render(TaskQueries.ForList(ListScope.OwnedOrAssigned("u1"), query, null)).ToJson();

        Assert.Contains("\"tags\" : \"{\\\"$gt\\\":\\\"\\\"}\"", rendered, StringComparison.Ordinal);
        Assert.Contains("\"$search\" : \"\\\"$where\\\"\"", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("\"$where\" :", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_admin_list_is_limited_to_owned_or_assigned_live_tasks()
    {
        var rendered = Render(TaskQueries.ForList(ListScope.OwnedOrAssigned("u1"), new TaskListQuery { Paging = new Paging(20, null) }, null));
        var text = rendered.ToJson();
        Assert.Contains("\"participants\" : \"u1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"deletedAt\" : { \"$exists\" : false }", text, StringComparison.Ordinal);

        var admin = Render(TaskQueries.ForList(ListScope.Everything, new TaskListQuery { Paging = new Paging(20, null) }, null)).ToJson();
        Assert.DoesNotContain("participants", admin, StringComparison.Ordinal);
    }
}
