using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskFlow.Tests.Web;

/// <summary>
/// One person using the web client in their own browser context. Every control is found by its role and its exact
/// accessible name from API.md "Web client" (GetByRole/GetByLabel with Exact), so these tests also pin the names.
/// Console errors and uncaught exceptions (a Content-Security-Policy violation is one) are collected for assertion.
/// </summary>
public sealed class BrowserUser : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public BrowserUser(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A 4xx the client handles (412, 404 lookup) is logged by Chromium as a failed load; that is not an error.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public string Email { get; private set; } = "";

    public string Password { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Field(string label) => Page.GetByLabel(label, new() { Exact = true });

    /// <summary>The Notifications button; its name is "Notifications" followed by the unread count.</summary>
    public ILocator NotificationsButton => Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Notifications\\b") });

    public ILocator TaskDialog => Page.GetByRole(AriaRole.Dialog, new() { Name = "New task" })
        .Or(Page.GetByRole(AriaRole.Dialog, new() { Name = "Edit task" }));

    public ILocator TaskList => Page.GetByRole(AriaRole.List, new() { Name = "Your tasks" });

    public ILocator TaskLink(string title) => TaskList.GetByRole(AriaRole.Button, new() { Name = title, Exact = true });

    /// <summary>The list item of the task with this title.</summary>
    public ILocator TaskItem(string title) => TaskList.GetByRole(AriaRole.Listitem)
        .Filter(new() { Has = Page.GetByRole(AriaRole.Button, new() { Name = title, Exact = true }) });

    public async Task OpenAsync()
    {
        await Page.GotoAsync("/");
        await Expect(Page.Locator("html[data-ready=true]")).ToHaveCountAsync(1);
    }

    /// <summary>Sign up through the form (which signs in too) and wait for the task list.</summary>
    public async Task SignUpAsync(string displayName, string? email = null, string password = "correct-horse-battery")
    {
        Email = email ?? $"web-{Guid.NewGuid():N}@example.test";
        Password = password;
        DisplayName = displayName;
        await OpenAsync();
        await Button("Create an account").ClickAsync();
        await Field("Display name").FillAsync(displayName);
        await Field("Email").FillAsync(Email);
        await Field("Password").FillAsync(password);
        await Button("Sign up").ClickAsync();
        await Expect(Button("Sign out")).ToBeVisibleAsync();
        await Expect(Button("New task")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the notification stream is connected (so what follows is delivered live).</summary>
    public Task WaitForLiveAsync() => Expect(Page.Locator("#stream-state")).ToHaveTextAsync("Live updates on.");

    public async Task CreateTaskAsync(string title, string? assigneeEmail = null, string priority = "Medium")
    {
        await Button("New task").ClickAsync();
        await Expect(TaskDialog).ToBeVisibleAsync();
        await Field("Title").FillAsync(title);
        await Field("Priority").SelectOptionAsync(new SelectOptionValue { Label = priority });
        if (assigneeEmail is not null)
        {
            await Field("Assignee").FillAsync(assigneeEmail);
        }

        await Button("Save").ClickAsync();
        await Expect(TaskDialog).ToBeHiddenAsync();
        await Expect(TaskLink(title)).ToBeVisibleAsync();
    }

    public async Task OpenTaskAsync(string title)
    {
        await TaskLink(title).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog, new() { Name = "Edit task" })).ToBeVisibleAsync();
        await Expect(Field("Title")).ToHaveValueAsync(title);
    }

    public async Task<string> SessionValueAsync(string property) =>
        await Page.EvaluateAsync<string>($"() => JSON.parse(sessionStorage.getItem('taskflow.session'))?.{property} ?? ''");

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>No script error and no CSP violation happened in this user's page.</summary>
    public void AssertNoErrors() => Assert.True(Errors.Count == 0, string.Join(Environment.NewLine, Errors));

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
