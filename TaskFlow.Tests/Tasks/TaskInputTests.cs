using System.Text.Json;
using TaskFlow.ServiceDefaults.Errors;
using TaskFlow.Tasks.Apis.Requests;
using TaskFlow.Tasks.Model;

namespace TaskFlow.Tests.Tasks;

[Trait("Category", "Unit")]
public sealed class TaskInputTests
{
    private static (TaskInput? Input, IDictionary<string, string[]> Errors) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new ValidationErrors();
        var input = TaskRequestBodies.ReadTask(document.RootElement, errors);
        return (input, errors.ToDictionary());
    }

    [Fact]
    public void Minimal_input_gets_the_documented_defaults()
    {
        var (input, errors) = Parse("""{"title":"  Write report  "}""");
        Assert.Empty(errors);
        Assert.NotNull(input);
        Assert.Equal("Write report", input.Title);
        Assert.Null(input.Description);
        Assert.Equal(TaskItemStatus.Todo, input.Status);
        Assert.Equal(TaskPriority.Medium, input.Priority);
        Assert.Null(input.DueDate);
        Assert.Null(input.AssigneeId);
        Assert.Empty(input.Tags);
    }

    [Fact]
    public void Full_input_is_parsed_and_normalized()
    {
        var (input, errors) = Parse("""
            {"title":"T","description":"d","status":"in_progress","priority":"urgent",
             "dueDate":"2030-05-01T10:00:00.1234567+02:00","assigneeId":"6F9619FF-8B86-D011-B42D-00C04FC964FF",
             "tags":[" a ","b","a"],"ownerId":"ignored","version":99,"somethingElse":{"$gt":1}}
            """);
        Assert.Empty(errors);
        Assert.NotNull(input);
        Assert.Equal(TaskItemStatus.InProgress, input.Status);
        Assert.Equal(TaskPriority.Urgent, input.Priority);
        Assert.Equal(new DateTime(2030, 5, 1, 8, 0, 0, 123, DateTimeKind.Utc), input.DueDate);
        Assert.Equal(DateTimeKind.Utc, input.DueDate?.Kind);
        Assert.Equal("6f9619ff-8b86-d011-b42d-00c04fc964ff", input.AssigneeId);
        Assert.Equal(["a", "b"], input.Tags);
    }

    [Fact]
    public void A_due_date_without_offset_is_taken_as_utc_and_a_date_alone_is_accepted()
    {
        Assert.Equal(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc), Parse("""{"title":"t","dueDate":"2030-01-02T03:04:05"}""").Input?.DueDate);
        Assert.Equal(new DateTime(2030, 1, 2, 0, 0, 0, DateTimeKind.Utc), Parse("""{"title":"t","dueDate":"2030-01-02"}""").Input?.DueDate);
    }

    [Theory]
    [InlineData("""{}""", "title")]
    [InlineData("""{"title":null}""", "title")]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"title":"   "}""", "title")]
    [InlineData("""{"title":{"$gt":""}}""", "title")]
    [InlineData("""{"title":["a"]}""", "title")]
    [InlineData("""{"title":42}""", "title")]
    [InlineData("""{"title":"t","description":{"$ne":null}}""", "description")]
    [InlineData("""{"title":"t","status":"blocked"}""", "status")]
    [InlineData("""{"title":"t","status":"DONE"}""", "status")]
    [InlineData("""{"title":"t","status":0}""", "status")]
    [InlineData("""{"title":"t","priority":"critical"}""", "priority")]
    [InlineData("""{"title":"t","priority":{"$in":["low"]}}""", "priority")]
    [InlineData("""{"title":"t","dueDate":"tomorrow"}""", "dueDate")]
    [InlineData("""{"title":"t","dueDate":1700000000}""", "dueDate")]
    [InlineData("""{"title":"t","assigneeId":"bob"}""", "assigneeId")]
    [InlineData("""{"title":"t","assigneeId":{"$exists":true}}""", "assigneeId")]
    [InlineData("""{"title":"t","tags":"a"}""", "tags")]
    [InlineData("""{"title":"t","tags":[1]}""", "tags")]
    [InlineData("""{"title":"t","tags":[""]}""", "tags")]
    [InlineData("""{"title":"t","tags":[{"$gt":""}]}""", "tags")]
    public void Invalid_fields_are_reported_under_their_own_name(string json, string field)
    {
        var (input, errors) = Parse(json);
        Assert.Null(input);
        Assert.True(errors.ContainsKey(field), $"expected an error on {field}, got: {string.Join(", ", errors.Keys)}");
    }

    [Fact]
    public void Length_limits_are_inclusive()
    {
        Assert.NotNull(Parse(JsonSerializer.Serialize(new { title = new string('x', 200) })).Input);
        Assert.Contains("title", Parse(JsonSerializer.Serialize(new { title = new string('x', 201) })).Errors.Keys);
        Assert.NotNull(Parse(JsonSerializer.Serialize(new { title = "t", description = new string('x', 10_000) })).Input);
        Assert.Contains("description", Parse(JsonSerializer.Serialize(new { title = "t", description = new string('x', 10_001) })).Errors.Keys);
        Assert.NotNull(Parse(JsonSerializer.Serialize(new { title = "t", tags = new[] { new string('x', 50) } })).Input);
        Assert.Contains("tags", Parse(JsonSerializer.Serialize(new { title = "t", tags = new[] { new string('x', 51) } })).Errors.Keys);
    }

    [Fact]
    public void At_most_twenty_distinct_tags_duplicates_do_not_count()
    {
        var twenty = Enumerable.Range(0, 20).Select(i => $"t{i}").ToArray();
        var (input, _) = Parse(JsonSerializer.Serialize(new { title = "t", tags = twenty.Concat(twenty).ToArray() }));
        Assert.Equal(20, input?.Tags.Count);

        var (tooMany, errors) = Parse(JsonSerializer.Serialize(new { title = "t", tags = twenty.Append("t20").ToArray() }));
        Assert.Null(tooMany);
        Assert.Contains("tags", errors.Keys);
    }

    [Fact]
    public void All_field_errors_are_reported_together()
    {
        var (_, errors) = Parse("""{"title":"","status":"x","priority":"y","tags":"z"}""");
        Assert.Equal(["priority", "status", "tags", "title"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"title\"")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_invalid(string json)
    {
        var (input, errors) = Parse(json);
        Assert.Null(input);
        Assert.Contains("body", errors.Keys);
    }

    [Theory]
    [InlineData("""{"body":"hello"}""", true)]
    [InlineData("""{"body":""}""", false)]
    [InlineData("""{"body":"   "}""", false)]
    [InlineData("""{"body":5}""", false)]
    [InlineData("""{"body":{"$gt":""}}""", false)]
    [InlineData("""{}""", false)]
    public void Comment_body_must_be_a_non_blank_string(string json, bool valid)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new ValidationErrors();
        Assert.Equal(valid, TaskRequestBodies.ReadComment(document.RootElement, errors) is not null);
        Assert.Equal(valid, errors.IsEmpty);
    }

    [Fact]
    public void Comment_body_may_have_5000_characters_but_not_more()
    {
        static bool Valid(int length)
        {
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(new { body = new string('c', length) }));
            return TaskRequestBodies.ReadComment(document.RootElement, new ValidationErrors()) is not null;
        }

        Assert.True(Valid(1));
        Assert.True(Valid(5000));
        Assert.False(Valid(5001));
    }
}
