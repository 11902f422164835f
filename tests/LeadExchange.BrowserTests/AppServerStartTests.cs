namespace LeadExchange.BrowserTests;

/// <summary>An app that cannot start (an unknown database provider): what a start that never gets ready looks like.</summary>
public sealed class UnstartableAppServer : AppServer
{
    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(60);

    protected override void Configure(Dictionary<string, string> environment) => environment["Database__Provider"] = "NoSuchProvider";
}

/// <summary>
/// The browser fixture under a failed start: the test that waits fails with the app's own log, and the next wait starts a
/// fresh process instead of repeating the first failure (before, the fixture threw once and every test of the class
/// failed in a millisecond with the same message).
/// </summary>
public sealed class AppServerStartTests(UnstartableAppServer app) : IClassFixture<UnstartableAppServer>
{
    [Fact]
    public async Task EnsureReady_WhenTheAppCannotStart_FailsWithItsLog_AndTheNextWaitTriesAFreshProcess()
    {
        var first = await Assert.ThrowsAnyAsync<Exception>(app.EnsureReadyAsync);
        Assert.Contains("NoSuchProvider", first.Message, StringComparison.Ordinal);

        var second = await Assert.ThrowsAnyAsync<Exception>(app.EnsureReadyAsync);
        Assert.Contains("NoSuchProvider", second.Message, StringComparison.Ordinal);
        Assert.NotEqual("", ProcessIdIn(first.Message));
        Assert.NotEqual(ProcessIdIn(first.Message), ProcessIdIn(second.Message));
    }

    private static string ProcessIdIn(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, @"\(pid (\d+)\)").Groups[1].Value;
}
