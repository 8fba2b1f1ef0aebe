using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TaskFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TaskFlow.Tests.Web;

/// <summary>
/// The web client in a real browser (Debian's Chromium through Playwright) against the whole system through the
/// gateway: two people in two browser contexts, every control found by its accessible name from API.md.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class WebClientTests(TaskFlowAppFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private Uri Gateway => fixture.App.GetEndpoint("gateway", "http");

    [Fact]
    public async Task Two_users_create_edit_assign_and_comment_and_each_sees_the_others_change_live()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await using var bob = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Web");
        await bob.SignUpAsync("Bob Web");
        await Expect(bob.NotificationsButton).ToHaveTextAsync(new Regex(@"^Notifications\s*0$"));
        await bob.WaitForLiveAsync();
        await ada.WaitForLiveAsync();
        // A marker that a reload would wipe: the live updates must arrive without one.
        await bob.Page.EvaluateAsync("() => { window.noReloadMarker = 'still here'; }");

        // Ada creates a task with every field, then edits it and assigns it to Bob by email.
        await ada.Button("New task").ClickAsync();
        await ada.Field("Title").FillAsync("Write the report");
        await ada.Field("Description").FillAsync("Numbers for Q4.");
        await ada.Field("Status").SelectOptionAsync(new SelectOptionValue { Label = "In progress" });
        await ada.Field("Priority").SelectOptionAsync(new SelectOptionValue { Label = "High" });
        await ada.Field("Due date").FillAsync("2031-05-17");
        await ada.Field("Tags").FillAsync("reports, q4");
        await ada.Button("Save").ClickAsync();
        var item = ada.TaskItem("Write the report");
        await Expect(item).ToContainTextAsync("In progress");
        await Expect(item).ToContainTextAsync("High priority");
        await Expect(item).ToContainTextAsync("Due 2031-05-17");
        await Expect(item).ToContainTextAsync("#q4");
        // A task created without an assignee notifies its creator: Ada's own count rises live too.
        await Expect(ada.NotificationsButton).ToHaveTextAsync(new Regex(@"^Notifications\s*1$"));

        await ada.OpenTaskAsync("Write the report");
        await Expect(ada.Field("Description")).ToHaveValueAsync("Numbers for Q4.");
        await ada.Field("Title").FillAsync("Write the final report");
        await ada.Field("Assignee").FillAsync(bob.Email.ToUpperInvariant());
        await ada.Button("Save").ClickAsync();
        var edited = ada.TaskItem("Write the final report");
        await Expect(edited).ToContainTextAsync("Assigned to Bob Web");
        await Expect(ada.TaskLink("Write the report")).ToHaveCountAsync(0);
        await ada.CreateTaskAsync("Book the venue", priority: "Urgent");
        await Expect(ada.TaskList.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        if (Environment.GetEnvironmentVariable("TASKFLOW_SCREENSHOTS") is { Length: > 0 } screenshots)
        {
            // README's picture of the task list: TASKFLOW_SCREENSHOTS=$PWD/docs/screenshots ./test.sh --filter ...
            await ada.Page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "tasks.png") });
        }

        // Bob: the unread count rises live, and his list shows the task assigned to him.
        await Expect(bob.NotificationsButton).ToHaveTextAsync(new Regex(@"^Notifications\s*1$"));
        await Expect(bob.TaskLink("Write the final report")).ToBeVisibleAsync();
        Assert.Equal("still here", await bob.Page.EvaluateAsync<string>("() => window.noReloadMarker"));

        // The list, and mark-read.
        await bob.NotificationsButton.ClickAsync();
        var panel = bob.Page.GetByRole(AriaRole.Complementary, new() { Name = "Notifications" });
        await Expect(panel).ToBeVisibleAsync();
        var notification = panel.GetByRole(AriaRole.Listitem).First;
        await Expect(notification).ToContainTextAsync("Write the final report");
        await notification.GetByRole(AriaRole.Button, new() { Name = "Mark read", Exact = true }).ClickAsync();
        await Expect(bob.NotificationsButton).ToHaveTextAsync(new Regex(@"^Notifications\s*0$"));
        await Expect(notification.GetByRole(AriaRole.Button, new() { Name = "Mark read", Exact = true })).ToHaveCountAsync(0);
        await bob.Button("Close notifications").ClickAsync();

        // Bob comments; Ada (the owner) is notified live and sees the comment with Bob's name.
        await bob.OpenTaskAsync("Write the final report");
        await bob.Field("Comment").FillAsync("Draft is in the shared folder.");
        await bob.Button("Add comment").ClickAsync();
        var bobComments = bob.Page.GetByRole(AriaRole.Region, new() { Name = "Comments" });
        await Expect(bobComments.GetByRole(AriaRole.Listitem)).ToContainTextAsync("Draft is in the shared folder.");
        await Expect(bob.Field("Comment")).ToHaveValueAsync("");

        // Ada was notified of both tasks she created unassigned, and now of Bob's comment.
        await Expect(ada.NotificationsButton).ToHaveTextAsync(new Regex(@"^Notifications\s*3$"));
        await ada.OpenTaskAsync("Write the final report");
        var adaComments = ada.Page.GetByRole(AriaRole.Region, new() { Name = "Comments" }).GetByRole(AriaRole.Listitem);
        await Expect(adaComments).ToContainTextAsync("Draft is in the shared folder.");
        await Expect(adaComments).ToContainTextAsync("Bob Web");

        // Bob is the assignee, not the owner: the client offers him no Delete.
        await Expect(bob.Button("Delete")).ToBeHiddenAsync();
        ada.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task An_edit_conflict_shows_the_other_persons_change_and_retrying_saves_only_when_the_user_chooses()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await using var bob = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Conflict");
        await bob.SignUpAsync("Bob Conflict");
        await ada.CreateTaskAsync("Plan the offsite", assigneeEmail: bob.Email);

        // Ada opens the task; meanwhile Bob (the assignee) changes it.
        await ada.OpenTaskAsync("Plan the offsite");
        await bob.Page.ReloadAsync();
        await bob.OpenTaskAsync("Plan the offsite");
        await bob.Field("Title").FillAsync("Plan the offsite in May");
        await bob.Field("Priority").SelectOptionAsync(new SelectOptionValue { Label = "Urgent" });
        await bob.Button("Save").ClickAsync();
        await Expect(bob.TaskLink("Plan the offsite in May")).ToBeVisibleAsync();

        // Ada saves her edit: 412, shown with Bob's version; nothing of hers is written yet, her input is kept.
        await ada.Field("Title").FillAsync("Plan the offsite in June");
        await ada.Button("Save").ClickAsync();
        var conflict = ada.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Someone else changed this task" });
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict).ToContainTextAsync("Plan the offsite in May");
        await Expect(conflict).ToContainTextAsync("Urgent");
        await Expect(ada.Field("Title")).ToHaveValueAsync("Plan the offsite in June");
        await bob.Page.ReloadAsync();
        await Expect(bob.TaskLink("Plan the offsite in May")).ToBeVisibleAsync();

        // She retries deliberately: her version is saved over the one she has now seen.
        await ada.Button("Save my version").ClickAsync();
        await Expect(ada.TaskDialog).ToBeHiddenAsync();
        await Expect(ada.TaskLink("Plan the offsite in June")).ToBeVisibleAsync();
        await bob.Page.ReloadAsync();
        await Expect(bob.TaskLink("Plan the offsite in June")).ToBeVisibleAsync();

        // The other way out: a second conflict, resolved by loading their version.
        await ada.OpenTaskAsync("Plan the offsite in June");
        await bob.OpenTaskAsync("Plan the offsite in June");
        await bob.Field("Description").FillAsync("Bob's notes");
        await bob.Button("Save").ClickAsync();
        await Expect(bob.TaskDialog).ToBeHiddenAsync();
        await ada.Field("Description").FillAsync("Ada's notes");
        await ada.Button("Save").ClickAsync();
        await Expect(conflict).ToContainTextAsync("Bob's notes");
        await ada.Button("Load their version").ClickAsync();
        await Expect(conflict).ToBeHiddenAsync();
        await Expect(ada.Field("Description")).ToHaveValueAsync("Bob's notes");
        ada.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task Sign_out_calls_logout_and_the_sessions_refresh_token_stops_working()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Signout");

        // Refresh before expiry: a session whose access token is about to expire is refreshed on load (rotation).
        var firstRefresh = await ada.SessionValueAsync("refreshToken");
        await ada.Page.EvaluateAsync("() => { const s = JSON.parse(sessionStorage.getItem('taskflow.session')); s.expiresAt = Date.now() + 1000; sessionStorage.setItem('taskflow.session', JSON.stringify(s)); }");
        await ada.Page.ReloadAsync();
        await Expect(ada.Button("Sign out")).ToBeVisibleAsync();
        await ada.Page.WaitForFunctionAsync(
            "old => (JSON.parse(sessionStorage.getItem('taskflow.session'))?.refreshToken ?? old) !== old", firstRefresh);
        var refreshToken = await ada.SessionValueAsync("refreshToken");
        Assert.NotEmpty(refreshToken);

        await ada.Button("Sign out").ClickAsync();
        await Expect(ada.Button("Sign in")).ToBeVisibleAsync();
        await Expect(ada.Button("Sign out")).ToBeHiddenAsync();
        Assert.Null(await ada.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('taskflow.session')"));

        using var client = fixture.CreateGatewayClient();
        using var refresh = await client.PostAsJsonAsync("/users/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);

        // Signing in again works from the same page.
        await ada.Field("Email").FillAsync(ada.Email);
        await ada.Field("Password").FillAsync(ada.Password);
        await ada.Button("Sign in").ClickAsync();
        await Expect(ada.Button("Sign out")).ToBeVisibleAsync();
        ada.AssertNoErrors();
    }

    [Fact]
    public async Task A_task_is_created_with_the_keyboard_only_and_focus_is_always_visible()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Keyboard");
        await ada.Page.ReloadAsync();
        await Expect(ada.Button("New task")).ToBeVisibleAsync();

        // From the top of the page, Tab to "New task".
        await ada.Page.EvaluateAsync("() => document.activeElement?.blur()");
        await TabToAsync(ada.Page, "New task");
        Assert.NotEqual("none", await ada.Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(ada.Page.GetByRole(AriaRole.Dialog, new() { Name = "New task" })).ToBeVisibleAsync();
        await Expect(ada.Field("Title")).ToBeFocusedAsync();
        await ada.Page.Keyboard.TypeAsync("Typed without a mouse");
        await ada.Page.Keyboard.PressAsync("Tab");
        await Expect(ada.Field("Description")).ToBeFocusedAsync();
        await ada.Page.Keyboard.TypeAsync("Every step by keyboard.");
        await TabToAsync(ada.Page, "Tags");
        await ada.Page.Keyboard.TypeAsync("a11y");
        await TabToAsync(ada.Page, "Save");
        Assert.NotEqual("none", await ada.Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await ada.Page.Keyboard.PressAsync("Enter");

        await Expect(ada.TaskDialog).ToBeHiddenAsync();
        var item = ada.TaskItem("Typed without a mouse");
        await Expect(item).ToContainTextAsync("#a11y");
        // Focus returns to where it was, and Escape closes the dialog.
        await Expect(ada.Button("New task")).ToBeFocusedAsync();
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(ada.Field("Title")).ToBeFocusedAsync();
        await ada.Page.Keyboard.PressAsync("Escape");
        await Expect(ada.TaskDialog).ToBeHiddenAsync();
        ada.AssertNoErrors();
    }

    [Fact]
    public async Task Problem_details_appear_next_to_the_field_they_concern()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.OpenAsync();
        await ada.Button("Create an account").ClickAsync();
        await ada.Field("Display name").FillAsync("Ada Errors");
        await ada.Field("Email").FillAsync($"errors-{Guid.NewGuid():N}@example.test");
        await ada.Field("Password").FillAsync("short");
        await ada.Button("Sign up").ClickAsync();
        await Expect(ada.Field("Password")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ada.Field("Password")).ToHaveAccessibleDescriptionAsync(new Regex("8"));
        await Expect(ada.Field("Password")).ToBeFocusedAsync();
        await Expect(ada.Field("Email")).Not.ToHaveAttributeAsync("aria-invalid", "true");

        await ada.SignUpAsync("Ada Errors");
        await ada.Button("New task").ClickAsync();
        await ada.Field("Title").FillAsync("Assign to nobody");
        await ada.Field("Assignee").FillAsync($"nobody-{Guid.NewGuid():N}@example.test");
        await ada.Button("Save").ClickAsync();
        await Expect(ada.Field("Assignee")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ada.Field("Assignee")).ToHaveAccessibleDescriptionAsync(new Regex("No TaskFlow user has this email address"));

        // A server-side validation error (a tag over 50 characters) lands on Tags.
        await ada.Field("Assignee").FillAsync("");
        await ada.Field("Tags").FillAsync(new string('x', 51));
        await ada.Button("Save").ClickAsync();
        await Expect(ada.Field("Tags")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ada.Field("Tags")).ToHaveAccessibleDescriptionAsync(new Regex("1 to 50 characters"));
        await Expect(ada.Field("Assignee")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        ada.AssertNoErrors();
    }

    [Fact]
    public async Task Delete_asks_for_confirmation_and_filters_search_and_paging_work()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Lists");
        var token = await ada.SessionValueAsync("accessToken");
        using var client = fixture.CreateGatewayClient();
        for (var i = 1; i <= 22; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/tasks")
            {
                Content = JsonContent.Create(new { title = $"Bulk task {i:00}", priority = i % 5 == 0 ? "urgent" : "low", tags = i % 2 == 0 ? new[] { "even" } : new[] { "odd" } }),
            };
            request.Headers.Authorization = new("Bearer", token);
            using var created = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await ada.CreateTaskAsync("Quarterly zebra census");
        var items = ada.TaskList.GetByRole(AriaRole.Listitem);
        await Expect(items).ToHaveCountAsync(20);
        await ada.Button("Load more tasks").ClickAsync();
        await Expect(items).ToHaveCountAsync(23);
        await Expect(ada.Button("Load more tasks")).ToBeHiddenAsync();

        await ada.Field("Search").FillAsync("zebra");
        await ada.Button("Apply filters").ClickAsync();
        await Expect(items).ToHaveCountAsync(1);
        await Expect(ada.TaskLink("Quarterly zebra census")).ToBeVisibleAsync();

        await ada.Button("Clear filters").ClickAsync();
        await ada.Field("Filter by priority").SelectOptionAsync(new SelectOptionValue { Label = "Urgent" });
        await Expect(items).ToHaveCountAsync(4);
        await ada.Field("Filter by tag").FillAsync("even");
        await ada.Button("Apply filters").ClickAsync();
        await Expect(items).ToHaveCountAsync(2); // 10 and 20
        await ada.Button("Clear filters").ClickAsync();
        await Expect(items).ToHaveCountAsync(20);

        // Delete: "Keep task" keeps it, "Confirm delete" deletes it.
        await ada.OpenTaskAsync("Quarterly zebra census");
        await ada.Button("Delete").ClickAsync();
        var confirm = ada.Page.GetByRole(AriaRole.Alertdialog, new() { Name = "Delete this task?" });
        await Expect(confirm).ToBeVisibleAsync();
        await ada.Button("Keep task").ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(ada.Button("Delete")).ToBeFocusedAsync();
        await ada.Button("Delete").ClickAsync();
        await ada.Button("Confirm delete").ClickAsync();
        await Expect(ada.TaskDialog).ToBeHiddenAsync();
        await Expect(ada.TaskLink("Quarterly zebra census")).ToHaveCountAsync(0);
        await ada.Field("Search").FillAsync("zebra");
        await ada.Button("Apply filters").ClickAsync();
        await Expect(ada.Page.GetByText("No tasks match.")).ToBeVisibleAsync();
        ada.AssertNoErrors();
    }

    [Fact]
    public async Task The_layout_works_at_phone_width()
    {
        await using var ada = await chromium.NewUserAsync(Gateway, width: 375, height: 740);
        await ada.SignUpAsync("Ada Phone");
        await ada.CreateTaskAsync("A task on a small screen with a rather long title that must wrap");
        foreach (var name in new[] { "New task", "Sign out" })
        {
            await Expect(ada.Button(name)).ToBeInViewportAsync();
        }

        await Expect(ada.NotificationsButton).ToBeInViewportAsync();
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");
        await ada.Button("New task").ClickAsync();
        var box = await ada.TaskDialog.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"the dialog ({box.X}+{box.Width}) does not fit 375 px");
        await Expect(ada.Button("Save")).ToBeVisibleAsync();
        ada.AssertNoErrors();
    }

    private static async Task TabToAsync(IPage page, string name)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>(
                "() => { const e = document.activeElement; if (!e) return ''; if (e.labels && e.labels.length) return e.labels[0].textContent.trim(); return (e.textContent ?? '').trim(); }");
            if (focused == name)
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"Tab never reached \"{name}\".");
    }
}
