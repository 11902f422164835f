using System.Collections.Concurrent;
using LeadExchange.TestSupport;
using Microsoft.Playwright;

namespace LeadExchange.BrowserTests;

/// <summary>
/// The real web app as a separate process on a free loopback port (Playwright needs a real socket),
/// with a fresh SQLite database and demo data, plus one headless Debian chromium for the test class.
/// The demo's sample activity is off: journeys start from the bare demo accounts and offers.
/// </summary>
public class AppServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "leadex-browser-" + Guid.NewGuid().ToString("N")[..8]);
    private AppProcess? _app;
    private IPlaywright? _playwright;

    public string BaseUrl => _app?.BaseUrl ?? "";
    public int Port => _app?.Port ?? 0;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>tests/LeadExchange.BrowserTests/screenshots in the repository (gitignored).</summary>
    public string ScreenshotDir { get; } = Path.Combine(AppProcess.RepoRoot(), "tests", "LeadExchange.BrowserTests", "screenshots");

    /// <summary>Demo:SampleActivity for the app (the product's default is on; journeys want it off).</summary>
    protected virtual bool SampleActivity => false;

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        _app = AppProcess.Start("browser app", new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(_dataDir, "browser.db")}",
            ["Database__Provider"] = "Sqlite",
            ["Demo__Enabled"] = "true",
            ["Demo__SampleActivity"] = SampleActivity ? "true" : "false",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["App__PublicBaseUrl"] = "",
            ["ConnectionStrings__Redis"] = "",
            // Reports read hourly rollups the background job refreshes (every 30 s by default): journeys check their figures soon after.
            ["Jobs__ReportRollupEverySeconds"] = "2",
        });
        await _app.WaitUntilReadyAsync(StartTimeout);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("LEADEX_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { /* SQLite may still hold the file briefly */ }
    }

    /// <summary>A fresh browser context (own cookies) whose pages fail fast instead of waiting 30 s.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = BaseUrl });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        // Chromium reports what the Content-Security-Policy refused ("Refused to apply inline style ...") on the console.
        var violations = _cspViolations.GetOrAdd(page, _ => new ConcurrentQueue<string>());
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) violations.Enqueue($"{page.Url}: {message.Text}");
        };
        return page;
    }

    private readonly ConcurrentDictionary<IPage, ConcurrentQueue<string>> _cspViolations = new();

    /// <summary>What the browser refused on <paramref name="page"/> because of the Content-Security-Policy (none expected).</summary>
    public IReadOnlyList<string> CspViolations(IPage page) => _cspViolations.TryGetValue(page, out var v) ? [.. v] : [];

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    /// <summary>What the app printed so far, for failure messages.</summary>
    public string Log => _app?.Log ?? "";
}
