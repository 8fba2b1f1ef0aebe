using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using TaskFlow.ServiceDefaults.Idempotency;
using TaskFlow.ServiceDefaults.OpenApi;

namespace TaskFlow.Tests.Edge;

/// <summary>The rules of the idempotency filter and the contract transformer that need no running system.</summary>
[Trait("Category", "Unit")]
public sealed class IdempotencyRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("8e0f6a1c-4c1e-4c7e-9d3b-2f8d7c6b5a41", true)]
    [InlineData(" ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", true)]
    [InlineData("", false)]
    [InlineData("tab\there", false)]
    [InlineData("naïve", false)]
    [InlineData("line\nbreak", false)]
    public void Keys_are_1_to_255_printable_ascii_characters(string key, bool valid)
    {
        Assert.Equal(valid, IdempotencyRequest.TryGetKey(new StringValues(key), out _));
    }

    [Fact]
    public void Key_length_limit_is_255_and_a_repeated_header_is_refused()
    {
        Assert.True(IdempotencyRequest.TryGetKey(new StringValues(new string('k', 255)), out _));
        Assert.False(IdempotencyRequest.TryGetKey(new StringValues(new string('k', 256)), out _));
        Assert.False(IdempotencyRequest.TryGetKey(new StringValues(["a", "b"]), out _));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(204, true)]
    [InlineData(400, true)]
    [InlineData(413, true)]
    [InlineData(415, true)]
    [InlineData(422, true)]
    [InlineData(404, false)]
    [InlineData(412, false)]
    [InlineData(302, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(409, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Final_answers_are_stored_and_momentary_ones_release_the_key(int status, bool stored)
    {
        Assert.Equal(stored, IdempotencyFilter.IsFinal(status));
    }

    [Fact]
    public async Task Fingerprint_covers_method_path_and_body_and_rewinds_the_body()
    {
        static async Task<(string Fingerprint, string BodyAfter)> FingerprintAsync(string method, string path, string body)
        {
            var context = new DefaultHttpContext();
            context.Request.Method = method;
            context.Request.Path = path;
            context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
            var fingerprint = await IdempotencyRequest.FingerprintAsync(context.Request, CancellationToken.None);
            return (fingerprint, await new StreamReader(context.Request.Body).ReadToEndAsync());
        }

        var first = await FingerprintAsync("POST", "/tasks", """{"title":"a"}""");
        Assert.Equal(first, await FingerprintAsync("POST", "/tasks", """{"title":"a"}"""));
        Assert.Equal("""{"title":"a"}""", first.BodyAfter);
        Assert.NotEqual(first.Fingerprint, (await FingerprintAsync("POST", "/tasks", """{"title":"b"}""")).Fingerprint);
        Assert.NotEqual(first.Fingerprint, (await FingerprintAsync("POST", "/tasks/1/comments", """{"title":"a"}""")).Fingerprint);
        Assert.NotEqual(first.Fingerprint, (await FingerprintAsync("PUT", "/tasks", """{"title":"a"}""")).Fingerprint);
    }

    [Fact]
    public void Keys_of_different_callers_never_share_a_record()
    {
        Assert.NotEqual(IdempotencyRequest.StoreKey("user:1", "k"), IdempotencyRequest.StoreKey("user:2", "k"));
        Assert.NotEqual(IdempotencyRequest.StoreKey("ip:10.0.0.1", "k"), IdempotencyRequest.StoreKey("user:10.0.0.1", "k"));
    }

    [Theory]
    [InlineData("users/{id:guid}/roles", "/users/{id}/roles")]
    [InlineData("notifications/{id:guid}/read", "/notifications/{id}/read")]
    [InlineData("tasks/{id}", "/tasks/{id}")]
    [InlineData("users/me", "/users/me")]
    [InlineData("tasks/", "/tasks")]
    [InlineData("files/{**rest}", "/files/{rest}")]
    [InlineData("items/{page:int=1}", "/items/{page}")]
    public void Route_templates_map_to_document_paths(string route, string documentPath)
    {
        Assert.Equal(documentPath, GatewayContractTransformer.DocumentPath(route));
    }
}
