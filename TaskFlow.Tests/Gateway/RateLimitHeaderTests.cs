using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// API.md "Rate limits": the IETF RateLimit-Policy / RateLimit fields on every response of a limited route, from the
/// shared state that decides the 429, through both gateway replicas; Retry-After is honest and agrees with t.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class RateLimitHeaderTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Login_fields_count_down_across_both_replicas_and_waiting_retry_after_succeeds()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        // A new connection per request, so the app host's proxy spreads them over both gateway replicas.
        client.DefaultRequestHeaders.ConnectionClose = true;
        var seen = new List<RateLimitFields>();
        for (var i = 1; i <= 10; i++)
        {
            using var response = await client.PostAsJsonAsync("/users/login", new { email = $"nobody{i}@example.com", password = "wrong-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var fields = RateLimitFields.Read(response);
            Assert.Equal(("login", 10, 60), (fields.Policy, fields.Quota, fields.Window));
            // One counter for both replicas: the 10th request anywhere leaves 0.
            Assert.Equal(10 - i, fields.Remaining);
            Assert.InRange(fields.Reset, 1, 60);
            seen.Add(fields);
        }

        Assert.True(seen.Select(f => f.Via).Distinct().Count() >= 2, "the logins reached only one gateway replica");
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Reset <= p.First.Reset), "t must not grow within one window");

        using var limited = await client.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" });
        await UsersApiClient.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        var retryAfter = RateLimitFields.RetryAfterSeconds(limited);
        var refused = RateLimitFields.Read(limited);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(retryAfter, refused.Reset);
        Assert.InRange(retryAfter, 1, 60);

        // Honest: waiting exactly Retry-After and retrying once succeeds (on whichever replica answers).
        await Task.Delay(TimeSpan.FromSeconds(retryAfter));
        using var again = await client.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(9, RateLimitFields.Read(again).Remaining);
    }

    [Fact]
    public async Task Anonymous_fields_count_down_and_the_sixty_first_request_is_refused_with_matching_t()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        // A new connection per request, so the app host's proxy spreads them over both gateway replicas.
        client.DefaultRequestHeaders.ConnectionClose = true;
        var vias = new HashSet<string?>();
        for (var i = 1; i <= 60; i++)
        {
            using var response = await client.GetAsync("/openapi/users.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var fields = RateLimitFields.Read(response);
            Assert.Equal(("anonymous", 60, 60), (fields.Policy, fields.Quota, fields.Window));
            Assert.Equal(60 - i, fields.Remaining);
            Assert.InRange(fields.Reset, 1, 60);
            vias.Add(fields.Via);
        }

        Assert.True(vias.Count >= 2, "the requests reached only one gateway replica");
        using var limited = await client.GetAsync("/openapi/users.json");
        await UsersApiClient.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        var fieldsWhenLimited = RateLimitFields.Read(limited);
        Assert.Equal(0, fieldsWhenLimited.Remaining);
        Assert.Equal(RateLimitFields.RetryAfterSeconds(limited), fieldsWhenLimited.Reset);

        // Every route of the client counts against the same budget and carries the fields, refusals included.
        using var unauthorized = await client.GetAsync("/tasks");
        Assert.Equal(HttpStatusCode.TooManyRequests, unauthorized.StatusCode);
        Assert.Equal("anonymous", RateLimitFields.Read(unauthorized).Policy);
    }

    [Fact]
    public async Task The_web_clients_files_have_their_own_budget_and_spend_none_of_the_anonymous_one()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        using var first = await client.GetAsync("/openapi/users.json");
        var anonymous = RateLimitFields.Read(first);
        Assert.Equal(("anonymous", 59L), (anonymous.Policy, anonymous.Remaining));

        // What a browser loads: the page, then the files it names.
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var pageFields = RateLimitFields.Read(page);
        Assert.Equal(("static", 600, 60, 599L), (pageFields.Policy, pageFields.Quota, pageFields.Window, pageFields.Remaining));
        var assets = Regex.Matches(await page.Content.ReadAsStringAsync(), "(?:src|href)=\"(/assets/[^\"]+)\"")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(assets);
        for (var i = 0; i < assets.Count; i++)
        {
            using var asset = await client.GetAsync(assets[i]);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            var fields = RateLimitFields.Read(asset);
            Assert.Equal(("static", 598L - i), (fields.Policy, fields.Remaining));
        }

        using var second = await client.GetAsync("/openapi/users.json");
        Assert.Equal(("anonymous", 58L), (RateLimitFields.Read(second).Policy, RateLimitFields.Read(second).Remaining));
    }

    [Fact]
    public async Task User_bucket_fields_track_the_shared_bucket_and_waiting_retry_after_succeeds()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        // A new connection per request, so the app host's proxy spreads them over both gateway replicas.
        client.DefaultRequestHeaders.ConnectionClose = true;
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);

        // A few paced requests: the bucket holds 600 and refills 10/s, so r stays within [600 - n, 599] and t is 0.
        for (var n = 1; n <= 5; n++)
        {
            using var response = await client.GetAsync("/notifications?limit=1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var fields = RateLimitFields.Read(response);
            Assert.Equal(("user", 600, 60), (fields.Policy, fields.Quota, fields.Window));
            Assert.InRange(fields.Remaining, 600 - n, 599);
            Assert.Equal(0, fields.Reset);
        }

        // Drain the bucket through both replicas; every answer carries fields, the first 429 says when to come back.
        HttpResponseMessage? refused = null;
        var lowest = long.MaxValue;
        var vias = new HashSet<string?>();
        for (var batch = 0; batch < 40 && refused is null; batch++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/notifications?limit=1")));
            foreach (var response in responses)
            {
                var fields = RateLimitFields.Read(response);
                vias.Add(fields.Via);
                lowest = Math.Min(lowest, fields.Remaining);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && refused is null)
                {
                    refused = response;
                }
                else
                {
                    Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {(int)response.StatusCode}");
                    response.Dispose();
                }
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(vias.Count >= 2, "the requests reached only one gateway replica");
            Assert.Equal(0, lowest);
            await UsersApiClient.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
            var retryAfter = RateLimitFields.RetryAfterSeconds(refused);
            var fields = RateLimitFields.Read(refused);
            Assert.Equal(0, fields.Remaining);
            // 10 tokens a second: the next one is at most 100 ms away, so 1 whole second, and t says the same.
            Assert.Equal(1, retryAfter);
            Assert.Equal(retryAfter, fields.Reset);

            await Task.Delay(TimeSpan.FromSeconds(retryAfter));
            using var again = await client.GetAsync("/notifications?limit=1");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("user", RateLimitFields.Read(again).Policy);
        }
    }
}
