using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LeadExchange.TestSupport;

/// <summary>
/// The real web app (src/LeadExchange.Web, as built next to the test assembly) as a separate OS process on a free
/// loopback port, configured only through environment variables, the way a deployment configures it. Its output is
/// kept for failure messages. Shared by the browser tests and the multi-node integration tests (linked into both).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private AppProcess(string name, int port, Process process)
    {
        Name = name;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
        _process = process;
    }

    public string Name { get; }
    public int Port { get; }
    public string BaseUrl { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the app printed so far.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>The last lines of <see cref="Log"/>, prefixed with the process name, for assertion messages.</summary>
    public string LogTail(int lines = 60)
    {
        var all = Log.Split('\n');
        return $"--- {Name} (pid {_process.Id}) last {Math.Min(lines, all.Length)} log lines ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>
    /// Starts the app with <paramref name="environment"/> (ASP.NET Core keys, e.g. <c>ConnectionStrings__Default</c>)
    /// on a free port; returns at once: await <see cref="WaitUntilReadyAsync"/> before sending requests.
    /// </summary>
    public static AppProcess Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var root = RepoRoot();
        // bin/<Configuration>/<framework> of this test assembly names the configuration the web app was built in.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var webProject = Path.Combine(root, "src", "LeadExchange.Web");
        var webBin = Path.Combine(webProject, "bin", testBin.Parent!.Name, testBin.Name);
        var dll = Path.Combine(webBin, "LeadExchange.Web.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"Build the web app first: {dll} does not exist.");

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", webProject })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_CONTENTROOT"] = webProject;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var app = new AppProcess(name, port, new Process { StartInfo = start });
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>Polls /health/ready until it answers 200 (database and Redis reachable); fails with the log if the app exits or is too slow.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultStartTimeout;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} (pid {_process.Id}) exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) { /* slow start */ }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} (pid {_process.Id}) was not ready within {limit.TotalSeconds} s:\n{Log}");
    }

    /// <summary>Kills the process (and anything it started) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { /* it exited on its own between the check and the kill */ }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LeadExchange.sln")))
                return dir.FullName;
        throw new InvalidOperationException("LeadExchange.sln not found above " + AppContext.BaseDirectory);
    }
}
