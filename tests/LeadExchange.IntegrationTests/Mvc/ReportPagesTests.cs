using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LeadExchange.Application.Reports;
using LeadExchange.Domain.Payments;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Disputes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;
using LeadExchange.IntegrationTests.Reports;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;
using LeadExchange.IntegrationTests.LeadForms;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Mvc;

/// <summary>
/// The report pages (Advertiser, Webmaster and Moderation areas, the admin through Moderation) and the role dashboards on
/// the Home pages, as a person sees them: real traffic through the tracking, postback and lead endpoints, the rollup job
/// run directly, then the HTML (and CSV) read back and compared with what the traffic must give.
/// </summary>
public abstract partial class ReportPagesTests(ReportPagesFactory app)
{
    // ---- what the pages show ----

    [Fact]
    public async Task AdvertiserReport_AfterTrafficAndRollup_ShowsTheirOffersRowsAndTotals()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);

        var html = await PageAsync(advertiser, "/Advertiser/Reports?groupBy=offer");

        Assert.Equal(new[] { w.Main.OfferId, "" }.Order(), Keys(html).Order());
        Assert.Contains(w.MainTitle, html);
        Assert.Equal(ReportWorld.AdvertiserClicks, Number(Cell(html, w.Main.OfferId, "clicks")));
        Assert.Equal(2, Number(Cell(html, w.Main.OfferId, "conversions")));
        Assert.Equal(1, Number(Cell(html, "", "leads"))); // the lead bought from the exchange
        Assert.Contains("Lead exchange (no offer)", html);
        Assert.Equal(ReportWorld.AdvertiserClicks, Number(Total(html, "clicks")));
        Assert.Equal(1, Number(Total(html, "leads")));
        Assert.Equal(2, Number(Total(html, "conversions")));
        Assert.Equal(Money(ReportWorld.ConversionCost + w.Sale.Price), Total(html, "spend"));
    }

    [Fact]
    public async Task WebmasterReport_AfterTrafficAndRollup_ShowsTheirOwnRowsAndTotals()
    {
        var w = await app.WorldAsync();
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);

        var html = await PageAsync(webmaster, "/Webmaster/Reports?groupBy=offer");

        Assert.Equal(new[] { w.Main.OfferId, "" }.Order(), Keys(html).Order());
        Assert.Equal(ReportWorld.WebmasterClicks, Number(Cell(html, w.Main.OfferId, "clicks")));
        Assert.Equal(2, Number(Cell(html, "", "leads")));
        Assert.Equal(ReportWorld.WebmasterClicks, Number(Total(html, "clicks")));
        Assert.Equal(2, Number(Total(html, "leads")));
        Assert.Equal(1, Number(Total(html, "sold")));
        Assert.Equal("2 (1 appr.)", Total(html, "conversions"));
        Assert.Equal(Money(ReportWorld.ConversionPayout + w.SaleShare), Total(html, "earnings"));
    }

    [Theory]
    [InlineData("moderator")]
    [InlineData("admin")]
    public async Task PlatformReport_ForModeratorsAndAdmins_ShowsEveryonesFigures(string role)
    {
        var w = await app.WorldAsync();
        using var browser = await SignInAsync(app, $"{role}@demo.test", LeadExchangeFactory.DemoPassword);

        var byOffer = await PageAsync(browser, $"/Moderation/Reports?groupBy=offer&preset=last7&offerId={w.Main.OfferId}");
        var bySub = await PageAsync(browser, $"/Moderation/Reports?groupBy=sub1&preset=last7&offerId={w.Main.OfferId}");

        Assert.Equal([w.Main.OfferId], Keys(byOffer));
        Assert.Equal(ReportWorld.AdvertiserClicks, Number(Total(byOffer, "clicks")));
        Assert.Equal(2, Number(Total(byOffer, "conversions")));
        Assert.Equal(Money(ReportWorld.ConversionCost), Total(byOffer, "spend"));
        // Both webmasters' sub-ids: the platform sees everyone.
        Assert.Equal(3, Number(Cell(bySub, "fb", "clicks")));
        Assert.Equal(2, Number(Cell(bySub, "w2-secret", "clicks")));
    }

    public static TheoryData<string, string, string> Groupings() => new()
    {
        // role, groupBy, expected "key=clicks" of the rows with clicks (sorted by key), for last 30 days.
        { "advertiser", "day", "" }, // checked separately below: one row a day
        { "advertiser", "offer", "{offer}=7" },
        { "advertiser", "niche", "real-estate=7" },
        { "advertiser", "region", "=7" },
        { "advertiser", "goal", "=7" },
        { "advertiser", "order", "=7" },
        { "webmaster", "day", "" },
        { "webmaster", "offer", "{offer}=5" },
        { "webmaster", "niche", "real-estate=5" },
        { "webmaster", "region", "=5" },
        { "webmaster", "goal", "=5" },
        { "webmaster", "sub1", "fb=3;vk=2" },
        { "webmaster", "sub2", "banner-a=3;banner-b=2" },
        { "webmaster", "sub3", "kw-flat=3;kw-house=2" },
        { "webmaster", "sub4", "site-1=5" },
        { "webmaster", "sub5", "place-top=5" },
    };

    [Theory]
    [MemberData(nameof(Groupings))]
    public async Task Report_WhenGroupedBy_HasOneRowPerValueAndTheSameTotal(string role, string groupBy, string expected)
    {
        var w = await app.WorldAsync();
        var user = role == "advertiser" ? w.Main.Advertiser : w.Main.Webmaster;
        var area = role == "advertiser" ? "Advertiser" : "Webmaster";
        var totalClicks = role == "advertiser" ? ReportWorld.AdvertiserClicks : ReportWorld.WebmasterClicks;
        using var browser = await SignInAsync(app, user.Email);

        var html = await PageAsync(browser, $"/{area}/Reports?groupBy={groupBy}&preset=last30");

        Assert.Matches($"<option value=\"{groupBy}\" selected", html);
        Assert.Equal(totalClicks, Number(Total(html, "clicks")));
        if (groupBy == "day")
        {
            Assert.Equal(30, Keys(html).Count);
            Assert.Equal(totalClicks, Keys(html).Sum(k => Number(Cell(html, k, "clicks"))));
            return;
        }
        var rows = Keys(html).Select(k => (Key: k, Clicks: Number(Cell(html, k, "clicks")))).Where(r => r.Clicks > 0).OrderBy(r => r.Key, StringComparer.Ordinal);
        Assert.Equal(expected.Replace("{offer}", w.Main.OfferId), string.Join(";", rows.Select(r => $"{r.Key}={r.Clicks}")));
        if (groupBy == "goal")
        {
            Assert.Equal(1, Number(Cell(html, "lead", "conversions")));
            Assert.Equal(1, Number(Cell(html, "deposit", "conversions")));
        }
        if (groupBy == "region" && role == "advertiser") Assert.Equal(1, Number(Cell(html, "RU-SPE", "leads")));
        if (groupBy == "sub1") Assert.Equal(2, Number(Cell(html, "fb-campaign-7", "leads"))); // the leads' own sub1
    }

    [Fact]
    public async Task GroupByChoices_AreTheRolesOwn()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);

        var advertiserChoices = GroupByOptions(await PageAsync(advertiser, "/Advertiser/Reports"));
        var webmasterChoices = GroupByOptions(await PageAsync(webmaster, "/Webmaster/Reports"));

        Assert.Equal(["day", "offer", "niche", "region", "goal", "order"], advertiserChoices);
        Assert.Equal(["day", "offer", "niche", "region", "goal", "sub1", "sub2", "sub3", "sub4", "sub5"], webmasterChoices);
    }

    [Fact]
    public async Task PresetsAndCustomDates_SelectTheDaysInTheUsersTimeZone()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);
        var today = DateOnly.FromDateTime(app.Clock.UtcNow); // registered users are on UTC
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var todayPage = await PageAsync(advertiser, "/Advertiser/Reports?preset=today");
        var yesterday = await PageAsync(advertiser, "/Advertiser/Reports?preset=yesterday");
        var last7 = await PageAsync(advertiser, "/Advertiser/Reports?preset=last7");
        var oneDay = await PageAsync(advertiser, $"/Advertiser/Reports?from={Day(3)}&to={Day(3)}");
        var range = await PageAsync(advertiser, $"/Advertiser/Reports?from={Day(3)}&to={Day(1)}");

        Assert.Equal(ReportWorld.AdvertiserClicksToday, Number(Total(todayPage, "clicks")));
        Assert.Equal([Day(0)], Keys(todayPage));
        Assert.Matches("<option value=\"today\" selected", todayPage);
        Assert.Equal(1, Number(Total(yesterday, "clicks")));
        Assert.Equal([Day(1)], Keys(yesterday));
        Assert.Equal(Enumerable.Range(0, 7).Select(Day).Order(), Keys(last7).Order());
        Assert.Equal(ReportWorld.AdvertiserClicks, Number(Total(last7, "clicks")));
        Assert.Equal(1, Number(Cell(last7, Day(3), "clicks")));
        Assert.Equal([Day(3)], Keys(oneDay));
        Assert.Equal(1, Number(Total(oneDay, "clicks")));
        Assert.Equal([Day(3), Day(2), Day(1)], Keys(range));
        Assert.Equal(2, Number(Total(range, "clicks")));
        Assert.Contains($"{Day(3)} – {Day(1)}", range);
        Assert.DoesNotMatch("<option value=\"[a-zA-Z0-9]+\" selected", PresetSelect(range)); // "Custom dates"
        Assert.Contains($"value=\"{Day(3)}\"", range);
    }

    [Fact]
    public async Task Filters_WhenOfferNicheOrRegionChosen_NarrowTheFigures()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);

        var offer = await PageAsync(advertiser, $"/Advertiser/Reports?offerId={w.Main.OfferId}");
        var niche = await PageAsync(advertiser, "/Advertiser/Reports?niche=real-estate");
        var region = await PageAsync(advertiser, "/Advertiser/Reports?region=RU-SPE");
        var regionAsTyped = await PageAsync(advertiser, "/Advertiser/Reports?region=ru-spe");
        var webmasterOffer = await PageAsync(webmaster, $"/Webmaster/Reports?groupBy=sub1&offerId={w.Main.OfferId}");

        Assert.Equal(ReportWorld.AdvertiserClicks, Number(Total(offer, "clicks")));
        Assert.Equal(0, Number(Total(offer, "leads"))); // the purchase is not the offer's
        Assert.Contains("Filtered to one offer", offer);
        Assert.Equal(ReportWorld.AdvertiserClicks, Number(Total(niche, "clicks")));
        Assert.Equal(1, Number(Total(niche, "leads")));
        Assert.Matches("<option value=\"real-estate\" selected", niche);
        Assert.Equal(0, Number(Total(region, "clicks")));
        Assert.Equal(1, Number(Total(region, "leads")));
        Assert.Equal(1, Number(Total(regionAsTyped, "leads")));
        Assert.Equal(ReportWorld.WebmasterClicks, Number(Total(webmasterOffer, "clicks")));
        Assert.Equal(0, Number(Total(webmasterOffer, "leads")));
        Assert.DoesNotContain("fb-campaign-7", webmasterOffer);
    }

    [Fact]
    public async Task Sorting_ByAColumn_OrdersDescendingThenAscending_AndMarksOnlyThatColumn()
    {
        var w = await app.WorldAsync();
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);

        var descending = await PageAsync(webmaster, "/Webmaster/Reports?groupBy=sub1&sort=clicks");
        var ascending = await PageAsync(webmaster, "/Webmaster/Reports?groupBy=sub1&sort=clicks&desc=false");
        var byKey = await PageAsync(webmaster, "/Webmaster/Reports?groupBy=sub1&sort=key&desc=false");
        var byLeads = await PageAsync(webmaster, "/Webmaster/Reports?groupBy=sub1&sort=leads");
        var bySpend = await PageAsync(advertiser, "/Advertiser/Reports?groupBy=offer&sort=spend");

        Assert.Equal(["fb", "vk", "fb-campaign-7"], Keys(descending));
        Assert.Equal(["fb-campaign-7", "vk", "fb"], Keys(ascending));
        Assert.Equal(["fb", "fb-campaign-7", "vk"], Keys(byKey));
        Assert.Equal("fb-campaign-7", Keys(byLeads)[0]);
        // The header link of the sorted column turns the order round; another column's starts descending.
        Assert.Contains("sort=clicks&amp;desc=false", SortLink(descending, "clicks"));
        Assert.Contains("sort=clicks&amp;desc=true", SortLink(ascending, "clicks"));
        Assert.Contains("sort=leads&amp;desc=true", SortLink(descending, "leads"));
        Assert.Equal(["clicks"], SortedColumns(descending));
        Assert.Equal(["leads"], SortedColumns(byLeads));
        Assert.Equal(["spend"], SortedColumns(bySpend));
    }

    [Fact]
    public async Task Pagination_WhenMoreRowsThanAPage_ShowsFiftyAPageWithAPager_AndChartsOfTheWholePeriod()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);
        var first = DateOnly.FromDateTime(app.Clock.UtcNow).AddDays(-364);
        string Day(int offset) => first.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var page1 = await PageAsync(advertiser, "/Advertiser/Reports?preset=last365");
        var page2 = await PageAsync(advertiser, "/Advertiser/Reports?preset=last365&page=2");
        var page8 = await PageAsync(advertiser, "/Advertiser/Reports?preset=last365&page=8");

        Assert.Equal(Enumerable.Range(0, 50).Select(Day), Keys(page1));
        Assert.Equal(Enumerable.Range(50, 50).Select(Day), Keys(page2));
        Assert.Equal(Enumerable.Range(350, 15).Select(Day), Keys(page8));
        Assert.Contains("Page 2 of 8", page2);
        Assert.Contains("preset=last365&amp;page=3", page2);
        Assert.All(new[] { page1, page2, page8 }, html => Assert.Equal(ReportWorld.AdvertiserClicks, Number(Total(html, "clicks"))));
        // The charts draw the whole period whichever page of the table is shown.
        Assert.All(new[] { page1, page8 }, html =>
            Assert.Contains($"<desc id=\"chart-clicks-desc\">{Day(0)} to {Day(364)}: total {ReportWorld.AdvertiserClicks},", html));
    }

    [Fact]
    public async Task Csv_WhenDownloaded_IsTextCsvWithTheHeaderAndThePagesRows()
    {
        var w = await app.WorldAsync();
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);
        using var admin = await SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);

        const string query = "groupBy=sub1&sort=clicks&preset=last30";
        var html = await PageAsync(webmaster, "/Webmaster/Reports?" + query);
        var response = await webmaster.GetAsync("/Webmaster/Reports/Csv?" + query);
        var platform = await admin.GetAsync($"/Moderation/Reports/Csv?groupBy=offer&offerId={w.Main.OfferId}");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.ExpectStatusAsync(HttpStatusCode.OK)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["sub1", "label", "clicks", "unique_clicks", "leads", "leads_rejected", "leads_sold", "conversions"], header[..8]);
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.Equal(Keys(html), rows.Select(r => r[0]));
        foreach (var row in rows)
        {
            var key = row[0];
            Assert.Equal(Number(Cell(html, key, "clicks")), long.Parse(row[Array.IndexOf(header, "clicks")], CultureInfo.InvariantCulture));
            Assert.Equal(Number(Cell(html, key, "leads")), long.Parse(row[Array.IndexOf(header, "leads")], CultureInfo.InvariantCulture));
            Assert.Equal(Number(Cell(html, key, "conversions")), long.Parse(row[Array.IndexOf(header, "conversions")], CultureInfo.InvariantCulture));
            var earnings = decimal.Parse(row[Array.IndexOf(header, "earnings_RUB")], CultureInfo.InvariantCulture);
            Assert.Equal(Cell(html, key, "earnings"), Money((long)(earnings * 100)));
        }
        var platformLines = (await platform.ExpectStatusAsync(HttpStatusCode.OK)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("offer,label,clicks,", platformLines[0]);
        Assert.StartsWith($"{w.Main.OfferId},", Assert.Single(platformLines[1..]));
    }

    public static TheoryData<string, string, string> InvalidInputs() => new()
    {
        { "advertiser", "from=2026-05-02&to=2026-05-01", "From" },
        { "advertiser", "from=2020-01-01&to=2026-05-01", "To" },
        { "webmaster", "groupBy=weekday", "GroupBy" },
        { "advertiser", "groupBy=sub1", "GroupBy" },
        { "webmaster", "preset=nextweek", "Preset" },
        { "webmaster", "from=yesterday", "From" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Report_WhenInputIsInvalid_ShowsTheMessageBesideTheField(string role, string query, string field)
    {
        var user = await app.RegisterAsync(role);
        using var browser = await SignInAsync(app, user.Email);
        var area = role == "advertiser" ? "Advertiser" : "Webmaster";

        var html = await PageAsync(browser, $"/{area}/Reports?{query}");
        var csv = await browser.GetAsync($"/{area}/Reports/Csv?{query}");

        Assert.NotEqual("", ErrorBeside(html, field));
        Assert.Contains("Please correct the following:", html);
        if (field == "To") Assert.Contains($"{ReportGroupings.MaxDays} days", ErrorBeside(html, field));
        // The CSV link of such a form sends the person back with the message, never a 500.
        Assert.True(csv.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"CSV answered {(int)csv.StatusCode}");
    }

    // ---- who sees what ----

    [Fact]
    public async Task Reports_NeverShowAnotherAdvertisersOrWebmastersFigures()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);
        using var rival = await SignInAsync(app, w.Rival.Advertiser.Email);

        var mineByOffer = await PageAsync(advertiser, "/Advertiser/Reports?groupBy=offer");
        var theirOffer = await PageAsync(advertiser, $"/Advertiser/Reports?groupBy=day&offerId={w.Rival.OfferId}");
        var theirs = await PageAsync(rival, "/Advertiser/Reports?groupBy=offer");
        var subs = await PageAsync(webmaster, "/Webmaster/Reports?groupBy=sub1");
        var otherWebmastersOffer = await PageAsync(webmaster, $"/Webmaster/Reports?offerId={w.Rival.OfferId}");
        var csv = await (await advertiser.GetAsync($"/Advertiser/Reports/Csv?groupBy=offer&offerId={w.Rival.OfferId}")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(w.RivalTitle, mineByOffer);
        Assert.DoesNotContain(w.Rival.OfferId, Keys(mineByOffer));
        Assert.Contains("data-testid=\"report-empty\"", theirOffer);
        Assert.DoesNotContain(w.RivalTitle, theirOffer);
        Assert.Single(csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries)); // the header alone
        Assert.Equal(ReportWorld.RivalClicks, Number(Total(theirs, "clicks")));
        Assert.DoesNotContain(w.MainTitle, theirs);
        Assert.DoesNotContain("w2-secret", subs);
        Assert.DoesNotContain("w3-secret", subs);
        Assert.Equal(ReportWorld.WebmasterClicks, Number(Total(subs, "clicks")));
        Assert.Contains("data-testid=\"report-empty\"", otherWebmastersOffer);
    }

    public static TheoryData<string, string> WrongRoles() => new()
    {
        { "advertiser", "/Webmaster/Reports" }, { "advertiser", "/Moderation/Reports" }, { "advertiser", "/Moderation/Reports/Csv" },
        { "webmaster", "/Advertiser/Reports" }, { "webmaster", "/Advertiser/Reports/Csv" }, { "webmaster", "/Moderation/Reports" },
        { "moderator", "/Advertiser/Reports" }, { "moderator", "/Webmaster/Reports" }, { "moderator", "/Admin" },
    };

    [Theory]
    [MemberData(nameof(WrongRoles))]
    public async Task ReportPage_OfAnotherRole_IsDenied(string role, string url)
    {
        using var browser = role == "moderator"
            ? await SignInAsync(app, "moderator@demo.test", LeadExchangeFactory.DemoPassword)
            : await SignInAsync(app, (await app.RegisterAsync(role)).Email);
        using var anonymous = app.CreateAnonymousClient();

        var response = await browser.GetAsync(url);
        var signedOut = await anonymous.GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath().StartsWith("/account/denied", StringComparison.Ordinal),
            $"{role} on {url}: {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/login", signedOut.Headers.Location!.AbsolutePath());
    }

    // ---- empty states ----

    [Theory]
    [InlineData("advertiser", "/Advertiser/Reports", "/Advertiser/Offers")]
    [InlineData("webmaster", "/Webmaster/Reports", "/Webmaster/Links")]
    public async Task Report_WhenThereIsNoData_SaysWhatToDoNext(string role, string url, string nextStep)
    {
        var user = await app.RegisterAsync(role);
        using var browser = await SignInAsync(app, user.Email);

        var html = await PageAsync(browser, url);

        Assert.Contains("data-testid=\"report-empty\"", html);
        Assert.Contains("Nothing in this period yet", html);
        Assert.Contains($"href=\"{nextStep}\"", html);
        Assert.DoesNotContain("data-testid=\"report-table\"", html);
    }

    [Fact]
    public async Task Report_WhenFiltersLeaveNothing_SaysSoAndOffersToClearThem()
    {
        var w = await app.WorldAsync();
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);

        var html = await PageAsync(advertiser, "/Advertiser/Reports?groupBy=offer&niche=credit&preset=last7");

        Assert.Contains("data-testid=\"report-empty\"", html);
        Assert.Contains("Nothing matches these filters", html);
        Assert.Matches("href=\"/Advertiser/Reports\\?groupBy=offer&amp;preset=last7\"", html);
    }

    // ---- dashboards ----

    [Fact]
    public async Task AdvertiserDashboard_ShowsTodayAgainstYesterday_AndLowBalanceAndPausedOrders()
    {
        var w = await app.WorldAsync();
        var broke = await SetupAsync(app, topUp: 0); // an active offer and no money
        await (await broke.Advertiser.Client.PostJsonAsync("/api/v1/lead-orders", Buying.BuyingApi.OrderBody("real-estate", 500_000, active: false)))
            .ExpectStatusAsync(HttpStatusCode.Created);
        using var advertiser = await SignInAsync(app, w.Main.Advertiser.Email);
        using var brokeBrowser = await SignInAsync(app, broke.Advertiser.Email);

        var html = await PageAsync(advertiser, "/Advertiser");
        var brokeHtml = await PageAsync(brokeBrowser, "/Advertiser");

        Assert.Equal(ReportWorld.AdvertiserClicksToday.ToString(CultureInfo.InvariantCulture), Tile(html, "clicks", "tile-today"));
        Assert.Equal("yesterday 1", Tile(html, "clicks", "tile-yesterday"));
        Assert.Contains("▲ 400% vs yesterday", TileText(html, "clicks"));
        Assert.Equal("1", Tile(html, "leads", "tile-today"));
        Assert.Equal(Money(ReportWorld.ConversionCost + w.Sale.Price), Tile(html, "money", "tile-today"));
        Assert.Contains("none yesterday", TileText(html, "money"));
        Assert.Contains(w.MainTitle, html); // top offers
        Assert.Equal("Low balance: 0.00 RUB available. Top up so orders and offers keep buying.", Attention(brokeHtml, "low_balance"));
        Assert.Equal("1 lead order(s) paused by you.", Attention(brokeHtml, "orders_paused"));
        Assert.Contains("href=\"/Advertiser/LeadOrders\"", AttentionItem(brokeHtml, "orders_paused"));
    }

    [Fact]
    public async Task WebmasterDashboard_ShowsTodayAgainstYesterday_RejectedLeadsDisabledPostbackAndPayouts()
    {
        var w = await app.WorldAsync();
        var earner = await LedgerHarness.WebmasterWithEarningsAsync(app, 100_000); // 800.00 RUB available
        var phone = LeadIntakeTests.NextPhone();
        await (await earner.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body(phone))).ExpectStatusAsync(HttpStatusCode.Created);
        await (await earner.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body(phone))).ExpectStatusAsync(HttpStatusCode.Conflict); // rejected
        await (await earner.Client.PutJsonAsync("/api/v1/webmaster-postback", new { urlTemplate = "https://tracker.example/pb?cid={click_id}", enabled = true }))
            .ExpectStatusAsync(HttpStatusCode.OK);
        const string reason = "Switched off after 10 failed deliveries in a row; last: HTTP 500";
        await app.WithDbAsync(db => db.WebmasterPostbackSettings.Where(s => s.WebmasterId == earner.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledAt, TestTime.UtcNow).SetProperty(x => x.DisabledReason, reason)));
        var payout = await (await earner.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectJsonAsync(HttpStatusCode.Created);
        using var webmaster = await SignInAsync(app, w.Main.Webmaster.Email);
        using var earnerBrowser = await SignInAsync(app, earner.Email);

        var html = await PageAsync(webmaster, "/Webmaster");
        var waiting = await PageAsync(earnerBrowser, "/Webmaster");
        var admin = await app.DemoClientAsync("admin");
        await (await admin.PostAsJsonAsync($"/api/v1/admin/payouts/{payout.Str("id")}/settlement", new { paid = false, reference = "IBAN rejected by bank" }))
            .ExpectStatusAsync(HttpStatusCode.OK);
        var failed = await PageAsync(earnerBrowser, "/Webmaster");
        // A failure without a recorded reason still reads as a failure: the payout's currency is never shown as the reason.
        await app.WithDbAsync(db => db.Payouts.Where(p => p.Id == Guid.Parse(payout.Str("id")))
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.FailureReason, (string?)null)));
        var failedWithoutReason = await PageAsync(earnerBrowser, "/Webmaster");

        Assert.Equal(ReportWorld.WebmasterClicksToday.ToString(CultureInfo.InvariantCulture), Tile(html, "clicks", "tile-today"));
        Assert.Equal("yesterday 1", Tile(html, "clicks", "tile-yesterday"));
        Assert.Contains("▲ 200% vs yesterday", TileText(html, "clicks"));
        Assert.Equal("2", Tile(html, "leads", "tile-today"));
        Assert.Equal(Money(ReportWorld.ConversionPayout + w.SaleShare), Tile(html, "money", "tile-today"));
        Assert.Equal("1 lead(s) rejected in the last 7 days: see why.", Attention(waiting, "leads_rejected"));
        Assert.Contains("href=\"/Webmaster/Leads?status=rejected\"", AttentionItem(waiting, "leads_rejected"));
        Assert.Equal($"Your postback was switched off: {reason}. Fix the URL and switch it on.", Attention(waiting, "postback_disabled"));
        Assert.Equal("Payout of 600.00 RUB awaits the bank transfer.", Attention(waiting, "payout_awaitingmanual"));
        Assert.Equal("Your last payout failed: IBAN rejected by bank; the money is back in your balance.", Attention(failed, "payout_failed"));
        Assert.Contains("Urgent", AttentionItem(failed, "payout_failed"));
        Assert.Equal("Your last payout failed; the money is back in your balance.", Attention(failedWithoutReason, "payout_failed"));
    }

    [Fact]
    public async Task ModeratorDashboard_ShowsOverdueDisputesAndTheFraudQueue_AndThePlatformsClicksToday()
    {
        var purchase = await DisputeHarness.PurchaseAsync(app);
        var dispute = await (await DisputeHarness.DisputeAsync(purchase.Buyer.Client, purchase.SaleId)).ExpectJsonAsync(HttpStatusCode.Created);
        await app.WithDbAsync(db => db.Disputes.Where(d => d.Id == Guid.Parse(dispute.Str("id")))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DueAt, TestTime.UtcNow.AddHours(-1))));
        await app.WithDbAsync(db => db.Leads.Where(l => l.Id == purchase.LeadId).ExecuteUpdateAsync(s => s.SetProperty(l => l.FraudFlags, "ip_velocity")));
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        await (await GetAsync(app, Query(("click_id", clickId), ("status", "pending"), ("txid", Guid.NewGuid().ToString("N")), ("token", s.Token)))).ExpectOkAsync();
        await app.WithDbAsync(db => db.Conversions.Where(c => c.ClickId == clickId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ReviewRequired, true)));
        await app.RefreshReportsAsync();
        var now = app.Clock.UtcNow;
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"); // the demo accounts' zone
        var midnight = TimeZoneInfo.ConvertTimeToUtc(TimeZoneInfo.ConvertTimeFromUtc(now, moscow).Date, moscow);
        var (clicksToday, overdue, open, review, flagged) = await app.WithDbAsync(async db => (
            await db.Clicks.CountAsync(c => c.CreatedAt >= midnight),
            await db.Disputes.CountAsync(d => d.Status == Domain.Disputes.DisputeStatus.Open && d.DueAt < now),
            await db.Disputes.CountAsync(d => d.Status == Domain.Disputes.DisputeStatus.Open),
            await db.Conversions.CountAsync(c => c.ReviewRequired && c.Status == Domain.Tracking.ConversionStatus.Pending),
            await db.Leads.CountAsync(l => l.FraudFlags != null && l.CreatedAt >= now.AddDays(-7))));
        using var moderator = await SignInAsync(app, "moderator@demo.test", LeadExchangeFactory.DemoPassword);

        var html = await PageAsync(moderator, "/Moderation");

        Assert.True(overdue >= 1 && review >= 1 && flagged >= 1);
        Assert.Equal($"{overdue} dispute(s) are past their deadline.", Attention(html, "disputes_overdue"));
        Assert.Matches("href=\"/Moderation/Disputes\\?overdue=(?i:true)\"", AttentionItem(html, "disputes_overdue"));
        Assert.Equal($"{open} dispute(s) in the queue.", Attention(html, "disputes_open_queue"));
        Assert.Equal($"{review} conversion(s) flagged for fraud review wait for their advertisers.", Attention(html, "conversions_review"));
        Assert.Equal($"{flagged} lead(s) with fraud flags in the last 7 days.", Attention(html, "leads_flagged"));
        Assert.DoesNotContain("data-kind=\"payouts_manual\"", html); // an admin's item
        Assert.Equal(clicksToday.ToString("N0", CultureInfo.InvariantCulture), Tile(html, "clicks", "tile-today"));
    }

    [Fact]
    public async Task AdminHome_ShowsThePlatformDashboard_WithPayoutsWaitingForABankTransfer()
    {
        var earner = await LedgerHarness.WebmasterWithEarningsAsync(app, 100_000);
        await (await earner.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectStatusAsync(HttpStatusCode.Created);
        await app.RefreshReportsAsync();
        var waiting = await app.WithDbAsync(db => db.Payouts.CountAsync(p => p.Status == PayoutStatus.AwaitingManual));
        using var admin = await SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);

        var html = await PageAsync(admin, "/Admin");

        Assert.Equal($"{waiting} payout(s) wait for a manual bank transfer.", Attention(html, "payouts_manual"));
        Assert.Contains("href=\"/Admin/Payouts\"", AttentionItem(html, "payouts_manual"));
        Assert.Contains("data-testid=\"tile-clicks\"", html);
        Assert.Contains("href=\"/Moderation/Reports?preset=last30\"", html); // "Full report"
    }

    // ---- reading the pages ----

    private static async Task<string> PageAsync(HttpClient browser, string url) =>
        await (await browser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);

    /// <summary>The row keys of the report table, in order.</summary>
    private static List<string> Keys(string html) =>
        RowKey().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The text of a body cell: the row with <paramref name="key"/>, the column <paramref name="column"/>.</summary>
    private static string Cell(string html, string key, string column)
    {
        var row = Regex.Match(html, $"<tr data-key=\"{Regex.Escape(WebUtility.HtmlEncode(key))}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"No row \"{key}\"; rows: {string.Join(", ", Keys(html))}");
        return CellText(row.Groups[1].Value, $"data-col=\"{column}\"");
    }

    private static string Total(string html, string column) => CellText(html, $"data-total=\"{column}\"");

    private static string CellText(string html, string attribute)
    {
        var cell = Regex.Match(html, $"<td[^>]*{Regex.Escape(attribute)}[^>]*>(.*?)</td>", RegexOptions.Singleline);
        Assert.True(cell.Success, $"No cell {attribute}");
        return WebUtility.HtmlDecode(cell.Groups[1].Value).Trim();
    }

    /// <summary>The leading whole number of a cell ("1,234", "2 (1 appr.)").</summary>
    private static long Number(string cell)
    {
        var digits = LeadingNumber().Match(cell);
        Assert.True(digits.Success, $"No number in \"{cell}\"");
        return long.Parse(new string(digits.Value.Where(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);
    }

    /// <summary>Money as English pages show it: "1,250.00 RUB".</summary>
    private static string Money(long minor) => (minor / 100m).ToString("N2", CultureInfo.InvariantCulture) + " RUB";

    private static List<string> GroupByOptions(string html)
    {
        var select = Regex.Match(html, "<select[^>]*name=\"groupBy\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(select, "<option value=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
    }

    private static string PresetSelect(string html) =>
        Regex.Match(html, "<select[^>]*name=\"preset\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;

    /// <summary>The href of a column's sort link.</summary>
    private static string SortLink(string html, string sort)
    {
        var link = Regex.Match(html, $"<th scope=\"col\"[^>]*><a href=\"([^\"]*sort={sort}&amp;[^\"]*)\"");
        Assert.True(link.Success, $"No sort link for {sort}");
        return link.Groups[1].Value;
    }

    /// <summary>The sort keys of the header cells marked as sorted (▲ or ▼).</summary>
    private static List<string> SortedColumns(string html) =>
        Regex.Matches(html, "<th scope=\"col\"[^>]*><a href=\"[^\"]*sort=([a-zA-Z]+)[^\"]*\">[^<]*</a>\\s*[▲▼]").Select(m => m.Groups[1].Value).ToList();

    /// <summary>The inside of a dashboard tile.</summary>
    private static string TileCard(string html, string tile)
    {
        var card = Regex.Match(html, $"data-testid=\"tile-{tile}\">(.*?</div>)\\s*</div>", RegexOptions.Singleline);
        Assert.True(card.Success, $"No tile {tile}");
        return card.Groups[1].Value;
    }

    /// <summary>A tile's text without its markup.</summary>
    private static string TileText(string html, string tile) => WebUtility.HtmlDecode(Regex.Replace(TileCard(html, tile), "<[^>]+>", " "));

    /// <summary>One part of a tile (tile-today, tile-yesterday).</summary>
    private static string Tile(string html, string tile, string part) =>
        WebUtility.HtmlDecode(Regex.Match(TileCard(html, tile), $"data-testid=\"{part}\"[^>]*>([^<]*)<").Groups[1].Value).Trim();

    private static string AttentionItem(string html, string kind)
    {
        var item = Regex.Match(html, $"<li[^>]*data-kind=\"{kind}\"[^>]*>(.*?)</li>", RegexOptions.Singleline);
        Assert.True(item.Success, $"No attention item {kind}; items: {string.Join(", ", Regex.Matches(html, "data-kind=\"([^\"]+)\"").Select(m => m.Groups[1].Value))}");
        return item.Groups[1].Value;
    }

    /// <summary>The words of an attention item's link.</summary>
    private static string Attention(string html, string kind) =>
        WebUtility.HtmlDecode(Regex.Match(AttentionItem(html, kind), "<a [^>]*>(.*?)</a>", RegexOptions.Singleline).Groups[1].Value).Trim();

    [GeneratedRegex("<tr data-key=\"([^\"]*)\">")]
    private static partial Regex RowKey();

    [GeneratedRegex(@"^\d[\d,\s\u00a0\u202f]*")]
    private static partial Regex LeadingNumber();
}

/// <summary>
/// The traffic every report test reads, made once per app: an advertiser's offer with two webmasters in it (clicks with
/// sub-ids today, one yesterday and one three days ago, conversions approved, pending and rejected), two leads of the
/// first webmaster with one bought by that advertiser, and a rival advertiser's offer with its own webmaster. Registered
/// users are on UTC, so "today" and "yesterday" are UTC days.
/// </summary>
public sealed record ReportWorld(PostbackSetup Main, string MainTitle, TestUser Webmaster2, PostbackSetup Rival, string RivalTitle, Purchase Sale,
    long SaleShare)
{
    public const long WebmasterClicks = 5, WebmasterClicksToday = 3, AdvertiserClicks = 7, AdvertiserClicksToday = 5, RivalClicks = 4;

    /// <summary>The approved CPL (250.00) and the pending CPA deposit (1,000.00); the rejected conversion costs nothing.</summary>
    public const long ConversionCost = 25_000 + 100_000, ConversionPayout = 18_000 + 70_000;

    public static async Task<ReportWorld> CreateAsync(ReportPagesFactory app)
    {
        var mainTitle = $"Report offer {TestServices.ShortId()}";
        var rivalTitle = $"Rival offer {TestServices.ShortId()}";
        var mainOffer = OfferBody();
        mainOffer["title"] = mainTitle;
        var rivalOffer = OfferBody();
        rivalOffer["title"] = rivalTitle;
        var main = await SetupAsync(app, mainOffer);
        var rival = await SetupAsync(app, rivalOffer);
        var webmaster2 = await app.RegisterAsync("webmaster");
        var link2 = (await OfferApi.JoinAsync(webmaster2.Client, main.OfferId)).Str("linkCode");

        var fb = new List<string>();
        for (var i = 0; i < 3; i++) fb.Add(await ClickAsync(app, main.LinkCode, sub1: "fb", moreSubs: ["banner-a", "kw-flat", "site-1", "place-top"]));
        var vk = new List<string>();
        for (var i = 0; i < 2; i++) vk.Add(await ClickAsync(app, main.LinkCode, sub1: "vk", moreSubs: ["banner-b", "kw-house", "site-1", "place-top"]));
        for (var i = 0; i < 2; i++) await ClickAsync(app, link2, sub1: "w2-secret");
        for (var i = 0; i < RivalClicks; i++) await ClickAsync(app, rival.LinkCode, sub1: "w3-secret");
        foreach (var (clickId, goal, status) in new[] { (fb[0], "lead", "approved"), (fb[1], "deposit", "pending"), (fb[2], "lead", "rejected") })
            await (await GetAsync(app, Query(("click_id", clickId), ("goal", goal), ("status", status), ("txid", Guid.NewGuid().ToString("N")), ("token", main.Token))))
                .ExpectOkAsync();

        await DisputeHarness.SubmitLeadAsync(main.Webmaster, LeadIntakeTests.NextPhone());
        var phone = LeadIntakeTests.NextPhone();
        var (leadId, _) = await DisputeHarness.SubmitLeadAsync(main.Webmaster, phone, region: "RU-SPE");
        var sale = await DisputeHarness.BuyAsync(app, main.Advertiser, main.Webmaster, leadId, phone);
        var share = await app.WithDbAsync(db => db.EscrowHolds.Where(h => h.Id == sale.HoldId).Select(h => h.WebmasterShare).SingleAsync());

        // History: one vk click yesterday, the other three days ago.
        await app.MoveClickBackAsync(vk[0], TimeSpan.FromDays(1));
        await app.MoveClickBackAsync(vk[1], TimeSpan.FromDays(3));
        await app.RefreshReportsAsync();
        return new ReportWorld(main, mainTitle, webmaster2, rival, rivalTitle, sale, share);
    }
}

/// <summary>The postback app (forwarded headers, movable clock, no background jobs) with the report traffic made once.</summary>
public abstract class ReportPagesFactory(TestDatabase database) : PostbackFactory(database)
{
    private Task<ReportWorld>? _created;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<ReportWorld> WorldAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return await (_created ??= ReportWorld.CreateAsync(this));
        }
        finally
        {
            _gate.Release();
        }
    }
}

public sealed class ReportPagesSqliteFactory() : ReportPagesFactory(TestDatabase.Sqlite);

public sealed class ReportPagesPostgreSqlFactory() : ReportPagesFactory(TestDatabase.PostgreSql);

public sealed class ReportPagesTests_Sqlite(ReportPagesSqliteFactory app) : ReportPagesTests(app), IClassFixture<ReportPagesSqliteFactory>;

public sealed class ReportPagesTests_PostgreSql(ReportPagesPostgreSqlFactory app) : ReportPagesTests(app), IClassFixture<ReportPagesPostgreSqlFactory>;
