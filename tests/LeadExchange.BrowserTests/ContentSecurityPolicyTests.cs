using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>The app on its demo data with the sample activity (a dispute in the queue, offers with descriptions, payouts).</summary>
public sealed class SampleActivityAppServer : AppServer
{
    protected override bool SampleActivity => true;
}

/// <summary>
/// The Content-Security-Policy allows scripts and styles from this origin only (docs/security.md). Every role's main pages
/// (<see cref="ScreenshotPages.All"/>: dashboards, offers, disputes, the hosted lead form, ...) are opened in chromium on
/// the demo data, and the journey fails when the browser refused anything under the policy (an inline style attribute or
/// block, an inline script): <see cref="RunJourneyAsync"/> reads the browser's console.
/// </summary>
public sealed class ContentSecurityPolicyTests(SampleActivityAppServer app, ITestOutputHelper output) : IClassFixture<SampleActivityAppServer>
{
    [Fact]
    public Task MainPagesOfEveryRole_LoadWithNothingRefusedByTheCsp() =>
        RunJourneyAsync(app, output, "Csp", open => ScreenshotPages.VisitAllAsync(open, async (_, _, response) =>
            Assert.Contains("style-src 'self';", await response.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal)));
}
