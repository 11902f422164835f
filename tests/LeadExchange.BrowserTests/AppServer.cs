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
    /// <summary>
    /// How long one start may take: generous, because on a loaded 2-core CI machine (four test hosts, PostgreSQL, other
    /// app processes) a cold start with migrations and the demo seed has taken over 60 s. LEADEX_APP_START_SECONDS overrides it.
    /// </summary>
    protected virtual TimeSpan StartTimeout { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("LEADEX_APP_START_SECONDS"), out var s) && s > 0 ? s : 240);

    private readonly SemaphoreSlim _startGate = new(1, 1);
    private string? _dataDir;
    private AppProcess? _app;
    private IPlaywright? _playwright;
    private bool _ready;

    public string BaseUrl => _app?.BaseUrl ?? "";
    public int Port => _app?.Port ?? 0;
    private IBrowser? _browser;

    /// <summary>The class's chromium, once a test has waited for <see cref="EnsureReadyAsync"/> (every <see cref="NewPageAsync"/> does).</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Call EnsureReadyAsync (or NewPageAsync) first.");

    /// <summary>tests/LeadExchange.BrowserTests/screenshots in the repository (gitignored).</summary>
    public string ScreenshotDir { get; } = Path.Combine(AppProcess.RepoRoot(), "tests", "LeadExchange.BrowserTests", "screenshots");

    /// <summary>Demo:SampleActivity for the app (the product's default is on; journeys want it off).</summary>
    protected virtual bool SampleActivity => false;

    /// <summary>
    /// Starts the app process and returns: the first test waits for it (<see cref="EnsureReadyAsync"/>). A fixture that
    /// threw here would fail every test of the class in a millisecond with the same message; this way a start that is
    /// too slow or crashes fails the test that waited, with the app's log, and the next test tries a fresh process.
    /// </summary>
    public virtual Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        StartApp();
        return Task.CompletedTask;
    }

    private void StartApp()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "leadex-browser-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dataDir);
        var environment = new Dictionary<string, string>
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
        };
        Configure(environment);
        _app = AppProcess.Start("browser app", environment);
    }

    /// <summary>Changes the app's environment variables before each start.</summary>
    protected virtual void Configure(Dictionary<string, string> environment) { }

    /// <summary>
    /// Waits until the app answers /health/ready and chromium runs. When the app does not get ready in time (or exits),
    /// the calling test fails with the app's log and the process is thrown away, so the next test starts a new one.
    /// </summary>
    public async Task EnsureReadyAsync()
    {
        if (_ready) return;
        await _startGate.WaitAsync();
        try
        {
            if (_ready) return;
            if (_app is null) StartApp();
            try
            {
                await _app!.WaitUntilReadyAsync(StartTimeout);
            }
            catch
            {
                await StopAppAsync();
                throw;
            }
            _playwright ??= await Playwright.CreateAsync();
            _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("LEADEX_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            _ready = true;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task StopAppAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
        if (_dataDir is not null)
            try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { /* SQLite may still hold the file briefly */ }
    }

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await StopAppAsync();
    }

    /// <summary>A fresh browser context (own cookies) whose pages fail fast instead of waiting 30 s.</summary>
    public async Task<IPage> NewPageAsync()
    {
        await EnsureReadyAsync();
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
