using System.Diagnostics;
using LeadExchange.Domain.Buying;
using LeadExchange.Web.Models;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>A fact that needs a program on the PATH (php, node, python3): reported as skipped, not failed, where it is missing.</summary>
public sealed class WhenInstalledFactAttribute : FactAttribute
{
    public WhenInstalledFactAttribute(string program)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
        if (!found) Skip = $"{program} is not installed.";
    }
}

/// <summary>
/// The signature checks the lead webhook page gives buyers (<see cref="WebhookVerifyExamples"/>), run in their own language
/// against deliveries signed as the product signs them (<see cref="WebhookSignature"/>): a genuine one passes, a changed body,
/// another secret and a stale timestamp do not. The body has Cyrillic text, so the bytes, not characters, are what is signed.
/// </summary>
public sealed class WebhookVerifyExamplesTests
{
    private const string Secret = "whsec_test_0123456789abcdef";
    private const string Body = """{"event":"lead.sold","contact":{"name":"Иван Петров","phone":"+79161234567"},"price":{"amount":150000,"currency":"RUB"}}""";

    [WhenInstalledFact("php")]
    public Task PhpExample_WhenRunOnSignedDeliveries_AcceptsOnlyTheGenuineOne() => AssertChecksAsync("php", ".php",
        WebhookVerifyExamples.Php + "\necho leadexchange_verify(getenv('S'), getenv('H'), file_get_contents('php://stdin')) ? 'true' : 'false';\n");

    [WhenInstalledFact("node")]
    public Task NodeExample_WhenRunOnSignedDeliveries_AcceptsOnlyTheGenuineOne() => AssertChecksAsync("node", ".js",
        WebhookVerifyExamples.Node + "\nprocess.stdout.write(String(verify(process.env.S, process.env.H, require(\"fs\").readFileSync(0, \"utf8\"))));\n");

    [WhenInstalledFact("python3")]
    public Task PythonExample_WhenRunOnSignedDeliveries_AcceptsOnlyTheGenuineOne() => AssertChecksAsync("python3", ".py",
        WebhookVerifyExamples.Python + "\nimport os, sys\nprint(str(verify(os.environ[\"S\"], os.environ[\"H\"], sys.stdin.buffer.read())).lower())\n");

    private static async Task AssertChecksAsync(string program, string extension, string script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"leadex-verify-{Guid.NewGuid():N}{extension}");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var genuine = WebhookSignature.Sign(Secret, now, Body);
            Assert.Equal("true", await RunAsync(program, file, Secret, genuine, Body));
            Assert.Equal("true", await RunAsync(program, file, Secret, genuine.Replace(",", ", ", StringComparison.Ordinal), Body));
            Assert.Equal("false", await RunAsync(program, file, Secret, genuine, Body.Replace("150000", "1500", StringComparison.Ordinal)));
            Assert.Equal("false", await RunAsync(program, file, Secret + "x", genuine, Body));
            Assert.Equal("false", await RunAsync(program, file, Secret, WebhookSignature.Sign(Secret, now - 3_600, Body), Body));
            Assert.Equal("false", await RunAsync(program, file, Secret, "v1=" + genuine.Split("v1=")[1], Body));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs the script with the secret and header in S and H and the raw body on stdin; what it printed, trimmed.</summary>
    private static async Task<string> RunAsync(string program, string file, string secret, string header, string body)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
        };
        start.ArgumentList.Add(file);
        start.Environment["S"] = secret;
        start.Environment["H"] = header;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(body);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await error}");
        return (await output).Trim();
    }
}
