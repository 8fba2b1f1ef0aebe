using System.Text;
using System.Text.Json;
using Npgsql;
using TaskFlow.Tests.Infrastructure;
using static TaskFlow.Tests.Users.UsersApiClient;

namespace TaskFlow.Tests.Users;

/// <summary>Registration, profiles, roles and the admin list, against the Users service on real PostgreSQL and Redis.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UsersAccountTests(TaskFlowAppFixture fixture)
{
    private HttpClient Users() => fixture.CreateClient("users");

    [Fact]
    public async Task Register_returns_201_with_the_user_and_its_location()
    {
        using var client = Users();
        var email = NewEmail("Reg");
        using var response = await client.PostAsJsonAsync("/users/register", new { email, password = DefaultPassword, displayName = "  Ada Lovelace " });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = await response.Content.ReadFromJsonAsync<UserDto>();
        Assert.NotNull(user);
        Assert.Equal($"/users/{user.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(email, user.Email);
        Assert.Equal("Ada Lovelace", user.DisplayName);
        Assert.Equal(["user"], user.Roles);
        Assert.True(user.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5) && user.CreatedAt <= DateTimeOffset.UtcNow.AddMinutes(1));

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["createdAt", "displayName", "email", "id", "roles"], json.RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray());
    }

    [Fact]
    public async Task Register_stores_a_PBKDF2_hash_and_stages_a_user_registered_event_in_the_same_write()
    {
        using var client = Users();
        var user = await RegisterAsync(client);

        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync("usersdb"));
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = @id", connection))
        {
            command.Parameters.AddWithValue("id", user.Id);
            var hash = (string?)await command.ExecuteScalarAsync();
            Assert.NotNull(hash);
            Assert.DoesNotContain(DefaultPassword, hash);
            Assert.Equal(210_000, TaskFlow.Users.Infrastructure.Passwords.PasswordHashing.ReadIterations(hash));
        }

        // The relay publishes it (RabbitMQ is up), stamping published_at; the row itself proves the atomic write.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT event_type, envelope, published_at FROM outbox_messages WHERE subject = @subject", connection);
            command.Parameters.AddWithValue("subject", $"users/{user.Id}");
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "no outbox row for the new user");
            Assert.Equal("user.registered", reader.GetString(0));
            using var envelope = JsonDocument.Parse(reader.GetString(1));
            var data = envelope.RootElement.GetProperty("data");
            Assert.Equal(user.Id, data.GetProperty("userId").GetGuid());
            Assert.Equal(user.Email, data.GetProperty("email").GetString());
            Assert.Equal("user", data.GetProperty("roles")[0].GetString());
            if (!reader.IsDBNull(2))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "user.registered was not published within 20 s");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Register_with_an_existing_email_in_another_case_returns_409()
    {
        using var client = Users();
        var email = NewEmail("dup");
        await RegisterAsync(client, email);

        using var response = await client.PostAsJsonAsync("/users/register", new { email = email.ToUpperInvariant(), password = DefaultPassword, displayName = "Other" });
        await AssertProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_email_give_exactly_one_201()
    {
        var email = NewEmail("race");
        var variants = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? email : email.ToUpperInvariant()).ToList();
        var responses = await Task.WhenAll(variants.Select(async address =>
        {
            using var client = Users();
            using var response = await client.PostAsJsonAsync("/users/register", new { email = address, password = DefaultPassword, displayName = "Racer" });
            return response.StatusCode;
        }));

        Assert.Equal(1, responses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(variants.Count - 1, responses.Count(s => s == HttpStatusCode.Conflict));
    }

    public static TheoryData<string, string> InvalidRegistrations => new()
    {
        { """{"email":"not-an-email","password":"long enough","displayName":"Ada"}""", "email" },
        { """{"email":"","password":"long enough","displayName":"Ada"}""", "email" },
        { """{"password":"long enough","displayName":"Ada"}""", "email" },
        { """{"email":"ada@example.test","password":"short","displayName":"Ada"}""", "password" },
        { """{"email":"ada@example.test","displayName":"Ada"}""", "password" },
        { """{"email":"ada@example.test","password":"long enough","displayName":""}""", "displayName" },
        { """{"email":"ada@example.test","password":"long enough","displayName":"   "}""", "displayName" },
        { """{"email":"ada@example.test","password":"long enough","displayName":"[101]"}""", "displayName" },
        { """{"email":"ada@example.test","password":"long enough"}""", "displayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Register_with_invalid_input_returns_400_naming_the_field(string body, string field)
    {
        using var client = Users();
        using var content = new StringContent(body.Replace("[101]", new string('x', 101)), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/users/register", content);
        await AssertValidationProblemAsync(response, field);
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"email\": 42, \"password\": \"long enough\", \"displayName\": \"Ada\"}")]
    [InlineData("[1,2,3]")]
    public async Task Register_with_malformed_json_returns_400_problem(string body)
    {
        using var client = Users();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/users/register", content);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Register_with_a_wrong_content_type_returns_415_problem()
    {
        using var client = Users();
        using var content = new StringContent("""{"email":"a@example.test","password":"long enough","displayName":"A"}""", Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync("/users/register", content);
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Register_with_a_body_over_1_MiB_returns_413_problem()
    {
        using var client = Users();
        var body = $$"""{"email":"big@example.test","password":"long enough","displayName":"{{new string('x', 1024 * 1024)}}"}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        // Expect: 100-continue: refused on the declared length before the body is written (no broken pipe racing the 413).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users/register") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Me_returns_the_callers_user_and_put_me_changes_the_display_name()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client, "Ada");

        using (var me = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", ada.AccessToken))
        {
            await EnsureStatusAsync(me, HttpStatusCode.OK);
            Assert.Equal(ada.User, await me.Content.ReadFromJsonAsync<UserDto>(), new UserDtoComparer());
        }

        using (var put = await SendAuthorizedAsync(client, HttpMethod.Put, "/users/me", ada.AccessToken, new { displayName = " Countess of Lovelace " }))
        {
            await EnsureStatusAsync(put, HttpStatusCode.OK);
            var updated = await put.Content.ReadFromJsonAsync<UserDto>();
            Assert.Equal("Countess of Lovelace", updated?.DisplayName);
            Assert.Equal(ada.User.Email, updated?.Email);
        }

        using var again = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", ada.AccessToken);
        Assert.Equal("Countess of Lovelace", (await again.Content.ReadFromJsonAsync<UserDto>())?.DisplayName);
        await AssertOutboxEventAsync(ada.Id, "user.updated");
    }

    [Theory]
    [InlineData("""{"displayName":""}""")]
    [InlineData("""{"displayName":null}""")]
    [InlineData("""{}""")]
    public async Task Put_me_with_an_invalid_display_name_returns_400(string body)
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);
        using var request = Authorized(HttpMethod.Put, "/users/me", ada.AccessToken);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        await AssertValidationProblemAsync(response, "displayName");
    }

    [Theory]
    [InlineData("GET", "/users/me")]
    [InlineData("PUT", "/users/me")]
    [InlineData("GET", "/users/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/users")]
    [InlineData("PUT", "/users/00000000-0000-0000-0000-000000000001/roles")]
    [InlineData("POST", "/users/logout")]
    public async Task Protected_endpoints_without_a_token_return_401_with_a_bearer_challenge(string method, string path)
    {
        using var client = Users();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await client.SendAsync(request);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Get_user_by_id_shows_everything_to_self_and_admins_and_only_id_and_name_to_others()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client, "Ada");
        var bob = await RegisterAndLoginAsync(client, "Bob");
        var admin = await LoginAsAdminAsync(fixture, client);

        using (var self = await SendAuthorizedAsync(client, HttpMethod.Get, $"/users/{ada.Id}", ada.AccessToken))
        {
            await EnsureStatusAsync(self, HttpStatusCode.OK);
            Assert.Equal(ada.User, await self.Content.ReadFromJsonAsync<UserDto>(), new UserDtoComparer());
        }

        using (var byAdmin = await SendAuthorizedAsync(client, HttpMethod.Get, $"/users/{ada.Id}", admin.AccessToken))
        {
            await EnsureStatusAsync(byAdmin, HttpStatusCode.OK);
            Assert.Equal(ada.User, await byAdmin.Content.ReadFromJsonAsync<UserDto>(), new UserDtoComparer());
        }

        using (var byOther = await SendAuthorizedAsync(client, HttpMethod.Get, $"/users/{ada.Id}", bob.AccessToken))
        {
            await EnsureStatusAsync(byOther, HttpStatusCode.OK);
            using var json = JsonDocument.Parse(await byOther.Content.ReadAsStringAsync());
            Assert.Equal(["displayName", "id"], json.RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray());
            Assert.Equal(ada.Id, json.RootElement.GetProperty("id").GetGuid());
            Assert.Equal("Ada", json.RootElement.GetProperty("displayName").GetString());
        }

        using var unknown = await SendAuthorizedAsync(client, HttpMethod.Get, $"/users/{Guid.NewGuid()}", bob.AccessToken);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_lists_users_with_cursor_paging_and_others_get_403()
    {
        using var client = Users();
        var admin = await LoginAsAdminAsync(fixture, client);
        Assert.Contains("admin", admin.User.Roles);
        var mine = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add((await RegisterAsync(client)).Id);
        }

        // Two small pages: no overlap, the cursor continues where the first ended.
        var first = await GetPageAsync(client, admin.AccessToken, "/users?limit=2");
        Assert.Equal(2, first.Items.Length);
        Assert.NotNull(first.NextCursor);
        var second = await GetPageAsync(client, admin.AccessToken, $"/users?limit=2&cursor={Uri.EscapeDataString(first.NextCursor)}");
        Assert.Empty(first.Items.Select(u => u.Id).Intersect(second.Items.Select(u => u.Id)));

        // Walking every page sees each user once, oldest first, including the three just registered.
        var seen = new List<UserDto>();
        string? cursor = null;
        do
        {
            var page = await GetPageAsync(client, admin.AccessToken, "/users?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Select(u => u.Id).Distinct().Count());
        Assert.All(mine, id => Assert.Contains(seen, u => u.Id == id));
        Assert.Equal(seen.Select(u => u.CreatedAt).Order(), seen.Select(u => u.CreatedAt));
        Assert.Equal(first.Items.Concat(second.Items).Select(u => u.Id), seen.Take(first.Items.Length + second.Items.Length).Select(u => u.Id));

        var someone = await RegisterAndLoginAsync(client);
        using var forbidden = await SendAuthorizedAsync(client, HttpMethod.Get, "/users", someone.AccessToken);
        await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/users?limit=0", "limit")]
    [InlineData("/users?limit=101", "limit")]
    [InlineData("/users?cursor=garbage!", "cursor")]
    public async Task Admin_list_with_a_bad_limit_or_cursor_returns_400(string path, string field)
    {
        using var client = Users();
        var admin = await LoginAsAdminAsync(fixture, client);
        using var response = await SendAuthorizedAsync(client, HttpMethod.Get, path, admin.AccessToken);
        await AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task Admin_list_with_a_non_numeric_limit_returns_400_problem()
    {
        using var client = Users();
        var admin = await LoginAsAdminAsync(fixture, client);
        using var response = await SendAuthorizedAsync(client, HttpMethod.Get, "/users?limit=ten", admin.AccessToken);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Admin_sets_roles_and_the_next_login_carries_them()
    {
        using var client = Users();
        var admin = await LoginAsAdminAsync(fixture, client);
        var bob = await RegisterAndLoginAsync(client);

        using (var forbidden = await SendAuthorizedAsync(client, HttpMethod.Put, $"/users/{bob.Id}/roles", bob.AccessToken, new { roles = new[] { "user", "admin" } }))
        {
            await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
        }

        using (var promoted = await SendAuthorizedAsync(client, HttpMethod.Put, $"/users/{bob.Id}/roles", admin.AccessToken, new { roles = new[] { "admin", "user", "admin" } }))
        {
            await EnsureStatusAsync(promoted, HttpStatusCode.OK);
            Assert.Equal(["user", "admin"], (await promoted.Content.ReadFromJsonAsync<UserDto>())?.Roles ?? []);
        }

        await AssertOutboxEventAsync(bob.Id, "user.updated");
        var tokens = await LoginAsync(client, bob.User.Email, bob.Password);
        Assert.Equal(["user", "admin"], ReadRoles(tokens.AccessToken));
        using var list = await SendAuthorizedAsync(client, HttpMethod.Get, "/users?limit=1", tokens.AccessToken);
        await EnsureStatusAsync(list, HttpStatusCode.OK);

        using var demoted = await SendAuthorizedAsync(client, HttpMethod.Put, $"/users/{bob.Id}/roles", admin.AccessToken, new { roles = new[] { "user" } });
        Assert.Equal(["user"], (await demoted.Content.ReadFromJsonAsync<UserDto>())?.Roles ?? []);
    }

    [Theory]
    [InlineData("""{"roles":["user","root"]}""")]
    [InlineData("""{"roles":[]}""")]
    [InlineData("""{}""")]
    public async Task Setting_unknown_or_no_roles_returns_400(string body)
    {
        using var client = Users();
        var admin = await LoginAsAdminAsync(fixture, client);
        var bob = await RegisterAsync(client);
        using var request = Authorized(HttpMethod.Put, $"/users/{bob.Id}/roles", admin.AccessToken);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        await AssertValidationProblemAsync(response, "roles");
    }

    [Fact]
    public async Task Setting_roles_of_an_unknown_user_returns_404()
    {
        using var client = Users();
        var admin = await LoginAsAdminAsync(fixture, client);
        using var response = await SendAuthorizedAsync(client, HttpMethod.Put, $"/users/{Guid.NewGuid()}/roles", admin.AccessToken, new { roles = new[] { "user" } });
        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    private sealed record Page(UserDto[] Items, string? NextCursor);

    private static async Task<Page> GetPageAsync(HttpClient client, string token, string path)
    {
        using var response = await SendAuthorizedAsync(client, HttpMethod.Get, path, token);
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<Page>() ?? throw new InvalidOperationException("empty page");
    }

    private async Task AssertOutboxEventAsync(Guid userId, string eventType)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync("usersdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE subject = @subject AND event_type = @type", connection);
        command.Parameters.AddWithValue("subject", $"users/{userId}");
        command.Parameters.AddWithValue("type", eventType);
        Assert.True((long)(await command.ExecuteScalarAsync() ?? 0L) >= 1, $"no {eventType} staged for {userId}");
    }

    /// <summary>Field by field (records compare arrays by reference); createdAt exactly, as stored.</summary>
    private sealed class UserDtoComparer : IEqualityComparer<UserDto?>
    {
        public bool Equals(UserDto? x, UserDto? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Email == y.Email && x.DisplayName == y.DisplayName &&
            x.Roles.SequenceEqual(y.Roles) && x.CreatedAt == y.CreatedAt;

        public int GetHashCode(UserDto? obj) => obj?.Id.GetHashCode() ?? 0;
    }
}
