using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TaskFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TaskFlow.Tests.Web;

/// <summary>
/// The web client's Webhooks page in a real browser (Debian's Chromium through Playwright) against the whole system
/// through the gateway, the real Webhooks service behind it: by keyboard and accessible names, the secret shown once,
/// the list with the last delivery, redeliver, delete with confirmation, problems next to their field.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class WebhooksPageTests(TaskFlowAppFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private Uri Gateway => fixture.App.GetEndpoint("gateway", "http");

    /// <summary>A loopback URL nothing listens on (local mode allows loopback): deliveries fail fast.</summary>
    private static string DeadReceiver() => $"http://127.0.0.1:9/hooks/{Guid.NewGuid():N}";

    private static ILocator Pages(BrowserUser user, string name) =>
        user.Page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static ILocator EventTypes(BrowserUser user) => user.Page.GetByRole(AriaRole.Group, new() { Name = "Event types" });

    private static ILocator WebhookItem(BrowserUser user, string url) =>
        user.Page.GetByRole(AriaRole.List, new() { Name = "Your webhooks" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = url });

    private static ILocator SecretPanel(BrowserUser user) => user.Page.GetByRole(AriaRole.Region, new() { Name = "Signing secret" });

    private static async Task CreateWebhookAsync(BrowserUser user, string url, params string[] eventLabels)
    {
        await Pages(user, "Webhooks").ClickAsync();
        await user.Field("URL").FillAsync(url);
        foreach (var label in eventLabels)
        {
            await EventTypes(user).GetByLabel(label, new() { Exact = true }).CheckAsync();
        }

        await user.Button("Create webhook").ClickAsync();
        await Expect(SecretPanel(user)).ToBeVisibleAsync();
        await user.Button("Done, I stored it").ClickAsync();
        await Expect(WebhookItem(user, url)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_webhook_is_created_by_keyboard_its_secret_shown_once_then_listed_and_deleted_after_confirmation()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await ada.SignUpAsync("Ada Hooks");
        var url = DeadReceiver();

        // To the page by keyboard, through the Pages navigation.
        await ada.Page.EvaluateAsync("() => document.activeElement?.blur()");
        await TabToAsync(ada.Page, "Webhooks");
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(Pages(ada, "Webhooks")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Pages(ada, "Tasks")).Not.ToHaveAttributeAsync("aria-current", "page");
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeFocusedAsync();
        await Expect(ada.Button("New task")).ToBeHiddenAsync();
        await Expect(ada.Page.GetByText("No webhooks yet.")).ToBeVisibleAsync();

        await TabToAsync(ada.Page, "URL");
        await ada.Page.Keyboard.TypeAsync(url);
        await TabToAsync(ada.Page, "Task created");
        await ada.Page.Keyboard.PressAsync("Space");
        await TabToAsync(ada.Page, "Comment added");
        await ada.Page.Keyboard.PressAsync("Space");
        await Expect(EventTypes(ada).GetByRole(AriaRole.Checkbox, new() { Name = "Task created", Exact = true })).ToBeCheckedAsync();
        await Expect(EventTypes(ada).GetByRole(AriaRole.Checkbox, new() { Name = "Task updated", Exact = true })).Not.ToBeCheckedAsync();
        await ada.Page.Keyboard.PressAsync("Tab");
        await Expect(ada.Field("Webhook description")).ToBeFocusedAsync();
        await ada.Page.Keyboard.TypeAsync("Build bot");
        await ada.Page.Keyboard.PressAsync("Tab");
        await Expect(ada.Button("Create webhook")).ToBeFocusedAsync();
        Assert.NotEqual("none", await ada.Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await ada.Page.Keyboard.PressAsync("Enter");

        // The secret, once: focused, marked as shown only now, copied with the keyboard.
        var panel = SecretPanel(ada);
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel).ToBeFocusedAsync();
        await Expect(panel).ToContainTextAsync("Shown only now.");
        await Expect(ada.Field("Secret")).ToHaveValueAsync(new Regex("^whsec_[A-Za-z0-9+/]{32,}={0,2}$"));
        await Expect(ada.Field("Secret")).ToHaveAccessibleDescriptionAsync(new Regex("^Shown only now\\."));
        var secret = await ada.Field("Secret").InputValueAsync();
        await TabToAsync(ada.Page, "Copy secret");
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(ada.Page.Locator("#status-line")).ToHaveTextAsync("Secret copied to the clipboard.");
        Assert.Equal(secret, await ada.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Expect(ada.Field("URL")).ToHaveValueAsync("");

        // Listed, with what was chosen and no delivery yet.
        var item = WebhookItem(ada, url);
        await Expect(item).ToContainTextAsync("Build bot");
        await Expect(item).ToContainTextAsync("Task created");
        await Expect(item).ToContainTextAsync("Comment added");
        await Expect(item).Not.ToContainTextAsync("Task updated");
        await Expect(item).ToContainTextAsync("No deliveries yet.");

        // Done: the secret leaves the page; a reload stays on the Webhooks page and never shows it again.
        await TabToAsync(ada.Page, "Done, I stored it");
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(panel).ToBeHiddenAsync();
        await Expect(ada.Field("URL")).ToBeFocusedAsync();
        await ada.Page.ReloadAsync();
        await Expect(item).ToBeVisibleAsync();
        await Expect(panel).ToBeHiddenAsync();
        Assert.DoesNotContain(secret, await ada.Page.ContentAsync(), StringComparison.Ordinal);

        // Delete asks first: Escape keeps it (focus back on the button), then Confirm delete removes it.
        var delete = item.GetByRole(AriaRole.Button, new() { Name = "Delete webhook", Exact = true });
        await Expect(delete).ToHaveAccessibleDescriptionAsync(url);
        await ada.Page.EvaluateAsync("() => document.activeElement?.blur()");
        await TabToAsync(ada.Page, "Delete webhook");
        await ada.Page.Keyboard.PressAsync("Enter");
        var dialog = ada.Page.GetByRole(AriaRole.Alertdialog, new() { Name = "Delete this webhook?" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync(url);
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep webhook", Exact = true })).ToBeFocusedAsync();
        await ada.Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(delete).ToBeFocusedAsync();
        await Expect(item).ToBeVisibleAsync();

        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await ada.Page.Keyboard.PressAsync("Shift+Tab");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm delete", Exact = true })).ToBeFocusedAsync();
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(item).ToHaveCountAsync(0);
        await Expect(ada.Page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        await ada.Page.ReloadAsync();
        await Expect(ada.Page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        ada.AssertNoErrors();
    }

    [Fact]
    public async Task Webhook_problem_details_appear_next_to_the_field_they_concern_and_nothing_is_created()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Hook Errors");
        await Pages(ada, "Webhooks").ClickAsync();
        var taskCreated = EventTypes(ada).GetByLabel("Task created", new() { Exact = true });

        await ada.Field("URL").FillAsync("ftp://files.example.test/in");
        await taskCreated.CheckAsync();
        await ada.Button("Create webhook").ClickAsync();
        await Expect(ada.Field("URL")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ada.Field("URL")).ToBeFocusedAsync();
        await Expect(ada.Page.Locator("#webhook-url-error")).ToBeVisibleAsync();
        await Expect(ada.Page.Locator("#webhook-url-error")).ToHaveTextAsync(new Regex("\\S"));
        await Expect(EventTypes(ada)).Not.ToHaveAttributeAsync("aria-invalid", "true");

        // No event type chosen: the message is on the Event types group, the URL is fine now.
        await ada.Field("URL").FillAsync(DeadReceiver());
        await taskCreated.UncheckAsync();
        await ada.Button("Create webhook").ClickAsync();
        await Expect(EventTypes(ada)).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(EventTypes(ada)).ToHaveAccessibleDescriptionAsync(new Regex("\\S"));
        await Expect(ada.Field("URL")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(SecretPanel(ada)).ToBeHiddenAsync();
        await Expect(ada.Page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        ada.AssertNoErrors();
    }

    [Fact]
    public async Task A_webhooks_last_delivery_is_listed_and_a_delivery_is_redelivered()
    {
        await using var ada = await chromium.NewUserAsync(Gateway);
        await ada.SignUpAsync("Ada Deliveries");
        var url = DeadReceiver();
        await CreateWebhookAsync(ada, url, "Task created");

        await Pages(ada, "Tasks").ClickAsync();
        await ada.CreateTaskAsync("Tell my receiver");
        await Pages(ada, "Webhooks").ClickAsync();
        var item = WebhookItem(ada, url);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await item.TextContentAsync() ?? "").Contains("Last delivery: Task created", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await ada.Button("Refresh webhooks").ClickAsync();
            await Expect(ada.Page.GetByRole(AriaRole.List, new() { Name = "Your webhooks" })).ToHaveAttributeAsync("aria-busy", "false");
        }

        await Expect(item).ToContainTextAsync(new Regex("Last delivery: Task created: (Pending|Failed)"));
        var show = item.GetByRole(AriaRole.Button, new() { Name = "Show deliveries", Exact = true });
        await show.ClickAsync();
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Hide deliveries", Exact = true })).ToHaveAttributeAsync("aria-expanded", "true");
        var delivery = ada.Page.GetByRole(AriaRole.List, new() { Name = $"Deliveries to {url}" }).GetByRole(AriaRole.Listitem).First;
        await Expect(delivery).ToContainTextAsync("Task created");
        var redeliver = delivery.GetByRole(AriaRole.Button, new() { Name = "Redeliver", Exact = true });
        await Expect(redeliver).ToHaveAccessibleDescriptionAsync(new Regex("^Task created: "));
        await redeliver.ClickAsync();
        await Expect(ada.Page.Locator("#status-line")).ToHaveTextAsync($"Task created will be delivered again to {url}.");
        ada.AssertNoErrors();
    }

    /// <summary>Presses Tab until the focused control's label (or its text) is <paramref name="name"/>.</summary>
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
