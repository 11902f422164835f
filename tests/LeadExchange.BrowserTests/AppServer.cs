using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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

    private readonly StringBuilder _log = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "leadex-browser-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public int Port { get; private set; }
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>tests/LeadExchange.BrowserTests/screenshots in the repository (gitignored).</summary>
    public string ScreenshotDir { get; } = Path.Combine(RepoRoot(), "tests", "LeadExchange.BrowserTests", "screenshots");

    /// <summary>Demo:SampleActivity for the app (the product's default is on; journeys want it off).</summary>
    protected virtual bool SampleActivity => false;

    public virtual async Task InitializeAsync()
    {
        StartApp();
        await WaitUntilReadyAsync();
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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
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
        return await context.NewPageAsync();
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    /// <summary>What the app printed so far, for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    private void StartApp()
    {
        var root = RepoRoot();
        // bin/<Configuration>/net10.0 of this test assembly names the configuration the web app was built in.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var framework = testBin.Name;
        var webProject = Path.Combine(root, "src", "LeadExchange.Web");
        var webBin = Path.Combine(webProject, "bin", configuration, framework);
        var dll = Path.Combine(webBin, "LeadExchange.Web.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"Build the web app first: {dll} does not exist.");

        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        Directory.CreateDirectory(_dataDir);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", BaseUrl, "--contentRoot", webProject })
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Path.Combine(_dataDir, "browser.db")}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__SampleActivity"] = SampleActivity ? "true" : "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_CONTENTROOT"] = webProject;
        start.Environment["App__PublicBaseUrl"] = "";
        start.Environment["ConnectionStrings__Redis"] = "";
        // Reports read hourly rollups the background job refreshes (every 30 s by default): journeys check their figures soon after.
        start.Environment["Jobs__ReportRollupEverySeconds"] = "2";

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) { /* slow start */ }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app was not ready within {StartTimeout.TotalSeconds} s:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LeadExchange.sln")))
                return dir.FullName;
        throw new InvalidOperationException("LeadExchange.sln not found above " + AppContext.BaseDirectory);
    }
}
