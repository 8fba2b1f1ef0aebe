using Microsoft.Playwright;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Web;

/// <summary>
/// One headless Chromium per test class: Debian's <c>chromium</c> package launched through Playwright (Playwright
/// cannot download its own browsers here). Each user gets an isolated browser context with its own client IP
/// (X-Forwarded-For from the trusted loopback proxy, as <see cref="TaskFlowAppFixture.CreateGatewayClient"/> does),
/// so per-IP rate limits of one user never throttle another.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (scripts/install-prerequisites.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
        });
        // The distributed suite runs on a loaded 2-core machine: allow time, never a fixed sleep.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>A fresh browser context (cookies, storage) for one user of the client at <paramref name="baseUrl"/>.</summary>
    public async Task<BrowserUser> NewUserAsync(Uri baseUrl, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = TaskFlowAppFixture.RandomClientIp() },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new BrowserUser(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
