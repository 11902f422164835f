using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// The moderator's day: a buyer disputes a lead as fake (set up through the API: a webmaster's lead, bought and disputed
/// by the demo advertiser); the moderator finds it in the queue, claims it, reads where the lead came from and rejects the
/// dispute with a note, which both parties read. The address the lead's consent came from is then blocked. The blocklist
/// is an admin page (moderators cannot open the Admin area), so the admin blocks it.
/// </summary>
public sealed class ModeratorJourneyTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    [Fact]
    public Task ModeratorJourney_WhenDisputeIsUnfounded_RejectsItWithANoteAndTheSourceIpIsBlocked() =>
        RunJourneyAsync(app, output, nameof(ModeratorJourney_WhenDisputeIsUnfounded_RejectsItWithANoteAndTheSourceIpIsBlocked), async open =>
        {
            const string name = "ModeratorJourney";
            var run = RandomDigits();
            var ip = $"203.0.113.{Random.Shared.Next(10, 250)}";
            var complaint = "He says he never asked for a lawyer " + run;
            var note = "The consent was given on the form with a matching phone; the buyer should call again.";

            // Set-up through the API: the webmaster's lead, bought by the advertiser, disputed as fake.
            var webmaster = await open();
            await LogInAsync(webmaster, "webmaster@demo.test");
            var webmasterKey = await CreateApiKeyAsync(webmaster, "moderator journey");
            var leadId = (await PostJsonAsync(webmaster, "/api/v1/leads", webmasterKey,
                LegalLead("RU-MOW", "Dmitry Kozlov", "+7903" + run, $"dmitry.{run}@example.com", ip), 201)).GetProperty("leadId").GetString();
            var advertiser = await open();
            await LogInAsync(advertiser, "advertiser@demo.test");
            var advertiserKey = await CreateApiKeyAsync(advertiser, "moderator journey");
            var saleId = (await PostJsonAsync(advertiser, $"/api/v1/catalog/{leadId}/buy", advertiserKey, new { exclusive = true }, 201))
                .GetProperty("saleId").GetString();
            await PostJsonAsync(advertiser, $"/api/v1/purchases/{saleId}/dispute", advertiserKey,
                new { reason = "fake_or_not_interested", comment = complaint }, 201);

            // 1. The moderator finds the dispute in the queue and opens it.
            var moderator = await open();
            await LogInAsync(moderator, "moderator@demo.test");
            await moderator.GotoAsync("/Moderation/Disputes");
            var queued = moderator.Locator("table.disputes tbody tr").Filter(new() { HasText = complaint });
            await Assertions.Expect(queued).ToHaveCountAsync(1);
            await Assertions.Expect(queued).ToContainTextAsync("Fake, or not interested");
            await app.ScreenshotAsync(moderator, name + "-1-queue");
            await queued.GetByRole(AriaRole.Link, new() { Name = "Review" }).ClickAsync();
            await Assertions.Expect(moderator.GetByRole(AriaRole.Heading, new() { Name = "Dispute: Fake, or not interested" })).ToBeVisibleAsync();

            // 2. The case shows where the lead came from: the API, and the address its consent was given from.
            var leadCard = moderator.GetByRole(AriaRole.Region, new() { Name = "The lead", Exact = true });
            await Assertions.Expect(leadCard).ToContainTextAsync("from " + ip);
            await Assertions.Expect(leadCard).ToContainTextAsync("I agree to be contacted by lawyers.");

            // 3. Claim, then reject with a note.
            await moderator.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
            await Assertions.Expect(moderator.GetByRole(AriaRole.Status)).ToContainTextAsync("Claimed until");
            await moderator.GetByLabel("Reject", new() { Exact = false }).CheckAsync();
            await moderator.GetByLabel("Note (both parties see it)").FillAsync(note);
            await moderator.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
            await Assertions.Expect(moderator.GetByRole(AriaRole.Status)).ToContainTextAsync("Rejected: the money proceeds to the seller as usual.");
            await Assertions.Expect(moderator.Locator(".timeline")).ToContainTextAsync(note);
            await Assertions.Expect(moderator.GetByRole(AriaRole.Button, new() { Name = "Record decision" })).ToHaveCountAsync(0);
            await app.ScreenshotAsync(moderator, name + "-2-case");

            // Both parties read the decision.
            await advertiser.GotoAsync("/Advertiser/Disputes");
            var buyers = advertiser.Locator("table.my-disputes tbody tr").Filter(new() { HasText = complaint });
            await Assertions.Expect(buyers).ToContainTextAsync("Rejected");
            await Assertions.Expect(buyers).ToContainTextAsync(note);
            await webmaster.GotoAsync("/Webmaster/Disputes");
            await Assertions.Expect(webmaster.Locator("table.my-disputes tbody tr").Filter(new() { HasText = complaint })).ToContainTextAsync("Rejected");

            // 4. The lead's source address is blocked (an admin page: the admin does it).
            var admin = await open();
            await LogInAsync(admin, "admin@demo.test");
            await admin.GotoAsync("/Admin/Blocklist");
            await admin.GetByLabel("What to block").SelectOptionAsync(new SelectOptionValue { Label = "IP address" });
            await admin.GetByLabel("Phone, email, webmaster or IP address", new() { Exact = true }).FillAsync(ip);
            await admin.GetByLabel("Reason (optional)").FillAsync("Fake consents, dispute " + run);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Block", Exact = true }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Status))
                .ToContainTextAsync("Blocked: clicks from this IP address are flagged and its conversions refused from now on.");
            var entry = admin.Locator("table.blocklist tbody tr").Filter(new() { HasText = ip });
            await Assertions.Expect(entry).ToHaveCountAsync(1);
            await Assertions.Expect(entry).ToContainTextAsync("IP address");
            await Assertions.Expect(entry).ToContainTextAsync("Fake consents, dispute " + run);
            await Assertions.Expect(entry).ToContainTextAsync("admin@demo.test");

            // Blocking it twice is refused beside the field; the list finds it by the address.
            await admin.GetByLabel("What to block").SelectOptionAsync(new SelectOptionValue { Label = "IP address" });
            await admin.GetByLabel("Phone, email, webmaster or IP address", new() { Exact = true }).FillAsync(ip);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Block", Exact = true }).ClickAsync();
            await Assertions.Expect(admin.Locator("[data-valmsg-for='Form.Value']")).ToContainTextAsync("This IP address is already blocked.");
            await admin.GetByLabel("Phone, email, webmaster or IP", new() { Exact = true }).FillAsync(ip);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
            await Assertions.Expect(admin.Locator("table.blocklist tbody tr")).ToHaveCountAsync(1);
            await app.ScreenshotAsync(admin, name + "-3-blocklist");
        });
}
