using System.Text;
using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>A page to photograph: <c>{role}-{name}.png</c>. <see cref="Path"/> may hold placeholders that <see cref="ScreenshotTests"/> finds.</summary>
public sealed record ScreenshotPage(string Role, string Name, string Title, string Path);

/// <summary>The main pages of each role, in the order docs/screenshots/README.md lists them. A new page is one line here.</summary>
internal static class ScreenshotPages
{
    /// <summary>The demo offer whose details and integration page are shown (its id fills {offer}).</summary>
    public const string DemoOffer = "New-build apartments in Moscow";

    public static readonly IReadOnlyList<ScreenshotPage> All =
    [
        new("public", "home", "Home page", "/"),
        new("public", "login", "Log in", "/account/login"),
        new("public", "lead-form", "Hosted lead form", "/f/{leadForm}"),

        new("advertiser", "dashboard", "Dashboard", "/Advertiser"),
        new("advertiser", "offers", "My offers", "/Advertiser/Offers"),
        new("advertiser", "offer-details", "Offer details", "/Advertiser/Offers/Details/{offer}"),
        new("advertiser", "offer-integration", "Offer integration: postback URL and test", "/Advertiser/Integration/Offer/{offer}"),
        new("advertiser", "lead-orders", "Lead orders", "/Advertiser/LeadOrders"),
        new("advertiser", "catalog", "Lead catalog", "/Advertiser/LeadCatalog"),
        new("advertiser", "inbox", "Inbox of bought leads", "/Advertiser/Purchases"),
        new("advertiser", "balance", "Balance and statement", "/Advertiser/Balance"),
        new("advertiser", "disputes", "Disputes", "/Advertiser/Disputes"),
        new("advertiser", "reports", "Report by day, last 30 days", "/Advertiser/Reports?preset=last30&groupBy=day"),

        new("webmaster", "dashboard", "Dashboard", "/Webmaster"),
        new("webmaster", "offers", "Offer catalog", "/Webmaster/Offers"),
        new("webmaster", "links", "My tracking links", "/Webmaster/Links"),
        new("webmaster", "leads", "My leads", "/Webmaster/Leads"),
        new("webmaster", "lead-forms", "Lead forms", "/Webmaster/LeadForms"),
        new("webmaster", "payouts", "Earnings and payouts", "/Webmaster/Payouts"),
        new("webmaster", "postback", "Outbound postback", "/Webmaster/Postback"),
        new("webmaster", "reports", "Report by sub1, last 30 days", "/Webmaster/Reports?preset=last30&groupBy=sub1"),
        new("webmaster", "lead-api", "Lead API guide", "/Webmaster/LeadApi"),

        new("moderator", "dashboard", "Dashboard", "/Moderation"),
        new("moderator", "disputes", "Dispute queue", "/Moderation/Disputes"),
        new("moderator", "dispute-case", "A dispute case", "{disputeCase}"),
        new("moderator", "reports", "Platform report by niche", "/Moderation/Reports?preset=last30&groupBy=niche"),

        new("admin", "home", "Dashboard", "/Admin"),
        new("admin", "pricing", "Pricing", "/Admin/Pricing"),
        new("admin", "niches", "Niches", "/Admin/Niches"),
        new("admin", "users", "Users", "/Admin/Users"),
        new("admin", "ledger", "Ledger", "/Admin/Ledger"),
    ];

    /// <summary>The values of the placeholders in <see cref="All"/>'s paths, found on the demo data (pages from <paramref name="open"/>).</summary>
    public static async Task<Dictionary<string, string>> PlaceholdersAsync(Func<Task<IPage>> open) => new()
    {
        ["{offer}"] = await AsAsync(open, "advertiser", FindDemoOfferIdAsync),
        ["{disputeCase}"] = await AsAsync(open, "moderator", FindDisputeCaseAsync),
        ["{leadForm}"] = await AsAsync(open, "webmaster", FindOrCreateLeadFormAsync),
    };

    public static string Resolve(ScreenshotPage shot, Dictionary<string, string> placeholders) =>
        placeholders.Aggregate(shot.Path, (p, kv) => p.Replace(kv.Key, kv.Value, StringComparison.Ordinal));

    /// <summary>
    /// Opens every page of <see cref="All"/>, one browser page per role signed in as that role's demo user, asserts it answered
    /// 2xx, waits for the network to settle and hands it to <paramref name="visit"/>.
    /// </summary>
    public static async Task VisitAllAsync(Func<Task<IPage>> open, Func<ScreenshotPage, IPage, IResponse, Task> visit)
    {
        var placeholders = await PlaceholdersAsync(open);
        foreach (var role in All.GroupBy(p => p.Role))
        {
            var page = await open();
            if (role.Key != "public") await BrowserSteps.LogInAsync(page, role.Key + "@demo.test");
            foreach (var shot in role)
            {
                var path = Resolve(shot, placeholders);
                var response = await page.GotoAsync(path);
                Assert.True(response is { Ok: true }, $"{shot.Role}-{shot.Name}: {path} answered {response?.Status}");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await visit(shot, page, response!);
            }
            await page.Context.CloseAsync();
        }
    }

    private static async Task<string> AsAsync(Func<Task<IPage>> open, string role, Func<IPage, Task<string>> find)
    {
        var page = await open();
        await BrowserSteps.LogInAsync(page, role + "@demo.test");
        var found = await find(page);
        await page.Context.CloseAsync();
        return found;
    }

    private static async Task<string> FindDemoOfferIdAsync(IPage page)
    {
        await page.GotoAsync("/Advertiser/Offers");
        var href = await page.GetByRole(AriaRole.Link, new() { Name = ScreenshotPages.DemoOffer, Exact = true }).GetAttributeAsync("href");
        return href![(href!.LastIndexOf('/') + 1)..];
    }

    /// <summary>The sample activity leaves one dispute in the queue.</summary>
    private static async Task<string> FindDisputeCaseAsync(IPage page)
    {
        await page.GotoAsync("/Moderation/Disputes");
        return (await page.Locator("table.disputes tbody tr").GetByRole(AriaRole.Link, new() { Name = "Review" }).First.GetAttributeAsync("href"))!;
    }

    /// <summary>The demo webmaster's first hosted form's code; one is created when there is none.</summary>
    private static async Task<string> FindOrCreateLeadFormAsync(IPage page)
    {
        await page.GotoAsync("/Webmaster/LeadForms");
        var links = page.Locator(".lead-forms .list-group-item").GetByLabel("Link");
        if (await links.CountAsync() == 0)
        {
            await page.GetByLabel("Niche").SelectOptionAsync("real-estate");
            await page.GetByLabel("Title (optional)").FillAsync("Find your flat in Moscow");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create form" }).ClickAsync();
            await Assertions.Expect(links.First).ToBeVisibleAsync();
        }
        var url = await links.First.InputValueAsync();
        return url[(url.LastIndexOf('/') + 1)..];
    }
}

/// <summary>Runs only when LEADEX_SCREENSHOTS_DIR is set (scripts/screenshots.sh); otherwise reported as skipped, not failed.</summary>
public sealed class ScreenshotsFactAttribute : FactAttribute
{
    public const string Variable = "LEADEX_SCREENSHOTS_DIR";

    public static string? Directory => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } dir ? System.IO.Path.GetFullPath(dir) : null;

    public ScreenshotsFactAttribute()
    {
        if (Directory is null) Skip = $"Screenshots are taken only when {Variable} names their folder (scripts/screenshots.sh).";
    }
}

/// <summary>The app on its demo defaults, sample activity on (so every page has something to show); started only for screenshots.</summary>
public sealed class DemoActivityAppServer : AppServer
{
    protected override bool SampleActivity => true;

    public override Task InitializeAsync() => ScreenshotsFactAttribute.Directory is null ? Task.CompletedTask : base.InitializeAsync();
}

/// <summary>
/// Full-page 1280 px wide PNGs of each role's main pages (<see cref="ScreenshotPages.All"/>) into LEADEX_SCREENSHOTS_DIR,
/// plus the README.md that indexes them.
/// </summary>
[Trait("Category", "Screenshots")]
public sealed class ScreenshotTests(DemoActivityAppServer app) : IClassFixture<DemoActivityAppServer>
{
    private const int Width = 1280;
    /// <summary>A PNG above this is cut to the top part that fits (README says so), to keep the repository light.</summary>
    private const long MaxBytes = 400 * 1024;

    private readonly HashSet<ScreenshotPage> _cut = [];

    [ScreenshotsFact]
    public async Task Screenshots_OfEachRolesMainPages_AreSavedWithAnIndex()
    {
        var dir = ScreenshotsFactAttribute.Directory!;
        System.IO.Directory.CreateDirectory(dir);
        await ScreenshotPages.VisitAllAsync(app.NewPageAsync, (shot, page, _) => ShootAsync(page, shot, System.IO.Path.Combine(dir, FileName(shot))));
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, "README.md"), Index());
    }

    private static string FileName(ScreenshotPage shot) => $"{shot.Role}-{shot.Name}.png";

    /// <summary>
    /// The whole page, exactly <see cref="Width"/> px wide (what overflows the 1280 px viewport sideways is left out, as a
    /// person sees it); too large a file is shot again with only as much of the top as fits.
    /// </summary>
    private async Task ShootAsync(IPage page, ScreenshotPage shot, string file)
    {
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await TakeAsync(height);
        var bytes = new FileInfo(file).Length;
        if (bytes <= MaxBytes) return;
        _cut.Add(shot);
        await TakeAsync((int)(height * 0.9 * MaxBytes / bytes));

        Task TakeAsync(int h) => page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = file, FullPage = true, Clip = new Clip { X = 0, Y = 0, Width = Width, Height = h },
        });
    }

    private string Index()
    {
        var md = new StringBuilder();
        md.AppendLine("# Screenshots");
        md.AppendLine();
        md.AppendLine("The main pages of each role on the demo data with its sample activity (`Demo:SampleActivity=true`, the default), 1280 px wide.");
        md.AppendLine("Generated by `scripts/screenshots.sh` (the list of pages is `ScreenshotPages.All` in");
        md.AppendLine("`tests/LeadExchange.BrowserTests/ScreenshotTests.cs`); do not edit by hand.");
        foreach (var role in ScreenshotPages.All.GroupBy(p => p.Role))
        {
            md.AppendLine();
            md.AppendLine($"## {char.ToUpperInvariant(role.Key[0])}{role.Key[1..]}");
            md.AppendLine();
            md.AppendLine("| page | URL |");
            md.AppendLine("| --- | --- |");
            foreach (var shot in role)
                md.AppendLine($"| [{shot.Title}]({FileName(shot)}){(_cut.Contains(shot) ? " (the top of a long page)" : "")} | `{shot.Path}` |");
        }
        return md.ToString();
    }
}
