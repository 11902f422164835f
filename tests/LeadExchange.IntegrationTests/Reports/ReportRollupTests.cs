using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadExchange.Application.Reports;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Tracking;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Disputes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Reports;

/// <summary>
/// Issue #8 "report figures match the raw data": random traffic through the real endpoints (clicks with sub-ids, postbacks
/// with every status, leads, purchases, a converted sale, an upheld return), part of it moved days back, then the rollup job;
/// every report figure is compared with a recount from the raw rows in the user's time zone. Then later changes (status
/// changes of old conversions, a return on an old sale, new clicks) and the job again: the figures follow.
/// </summary>
public abstract class ReportRollupTests(PostbackFactory app)
{
    private sealed record Traffic(PostbackSetup Setup, TestUser Webmaster2, TestUser Buyer, List<(string ClickId, string Goal, string TxId)> Conversions,
        List<Guid> SaleIds);

    /// <remarks>
    /// Run at two fixed hours of the test clock, whatever the machine's time: at 11:00 UTC Moscow and New York are on the
    /// UTC date; at 22:30 UTC Moscow is already on the next day (the raw recount of the hours between Moscow midnight and
    /// UTC midnight). Before the clock was pinned, the test failed every evening from 21:00 UTC.
    /// </remarks>
    [Theory]
    [InlineData("11:00")]
    [InlineData("22:30")]
    public async Task Rollups_MatchRecountsFromRawRows_AfterRandomTraffic_AndAfterLaterChanges(string utcTimeOfDay)
    {
        app.Clock.AdvanceTo(TimeOnly.Parse(utcTimeOfDay, System.Globalization.CultureInfo.InvariantCulture), atLeast: TimeSpan.FromMinutes(5));
        var rng = new Random(20261123);
        // The job's first run on this database (other tests of the class share it): history moved back below is then
        // history that existed before reports were switched on, which the first run must pick up whole.
        await app.WithDbAsync(async db => await db.ReportRollupStates.ExecuteDeleteAsync() + await db.ReportRollups.ExecuteDeleteAsync());
        var t = await RandomTrafficAsync(rng);
        await MoveIntoThePastAsync(t, rng);

        Assert.True(await RefreshAsync() > 0);
        await AssertReportsMatchRawAsync(t);

        // Later: old pending conversions approved or rejected, a return on an old sale, and more clicks today.
        var moderator = await app.DemoClientAsync("moderator");
        foreach (var (clickId, goal, txId) in t.Conversions.Where((_, i) => i % 3 == 0))
        {
            var c = await app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(x => x.ClickId == clickId && x.GoalCode == goal));
            if (c.Status != ConversionStatus.Pending) continue;
            var status = rng.Next(2) == 0 ? "approved" : "rejected";
            await (await GetAsync(app, Query(("click_id", clickId), ("goal", goal), ("txid", txId), ("status", status), ("token", t.Setup.Token)))).ExpectOkAsync();
        }
        var oldSale = await app.WithDbAsync(db => db.LeadSales.AsNoTracking().Where(s => t.SaleIds.Contains(s.Id))
            .OrderBy(s => s.SoldAt).FirstAsync(s => !db.Disputes.Any(d => d.SaleId == s.Id)));
        var dispute = await (await DisputeHarness.DisputeAsync(t.Buyer.Client, oldSale.Id)).ExpectJsonAsync(HttpStatusCode.Created);
        await (await DisputeHarness.DecideAsync(moderator, dispute.Str("id"))).ExpectStatusAsync(HttpStatusCode.OK);
        for (var i = 0; i < 7; i++) await ClickAsync(t.Setup.LinkCode, rng);

        await RefreshAsync();
        await AssertReportsMatchRawAsync(t);
        Assert.True(await app.WithDbAsync(db => db.Disputes.CountAsync(d => d.SellerId == t.Setup.Webmaster.UserId && d.Status == DisputeStatus.Upheld)) >= 2);
    }

    [Fact]
    public async Task RecomputingAnHourTwice_GivesTheSameRows()
    {
        var rng = new Random(7);
        var s = await SetupAsync(app);
        for (var i = 0; i < 5; i++) await ClickAsync(s.LinkCode, rng);
        var hour = Domain.Reports.ReportRollup.HourOf(app.Clock.UtcNow);

        var day = DateOnly.FromDateTime(hour);

        await SendAsync(new RecomputeReportHourCommand(hour));
        await SendAsync(new RecomputeReportSubIdDayCommand(day));
        var first = await RowsAsync(s.Webmaster.UserId);
        await SendAsync(new RecomputeReportHourCommand(hour));
        await SendAsync(new RecomputeReportSubIdDayCommand(day));
        var second = await RowsAsync(s.Webmaster.UserId);

        Assert.Equal(first, second);
        Assert.Equal(5, first.Where(r => r.SubSlot == 0).Sum(r => r.Clicks));
        // Five sub-id slots repeat the clicks, never the main grain, in one row set per UTC day.
        Assert.All(Enumerable.Range(1, 5), slot => Assert.Equal(5, first.Where(r => r.SubSlot == slot).Sum(r => r.Clicks)));
        Assert.All(first.Where(r => r.SubSlot > 0), r => Assert.Equal(day.ToDateTime(TimeOnly.MinValue), r.Hour));
    }

    [Fact]
    public async Task FourNodesRefreshingAtOnce_CountEveryClickOnce()
    {
        var rng = new Random(5);
        var s = await SetupAsync(app);
        for (var i = 0; i < 6; i++) await ClickAsync(s.LinkCode, rng);
        // The lease lets one node rebuild at a time; without it two rebuilds of one hour interleave and insert its rows twice.
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(() => SendAsync(new RefreshReportRollupsCommand($"node-{round}-{n}")))));
            var rows = await RowsAsync(s.Webmaster.UserId);
            Assert.Equal(6, rows.Where(r => r.SubSlot == 0).Sum(r => r.Clicks));
            Assert.Equal(rows.Count, rows.Select(r => (r.Hour, r.SubSlot, r.SubValue, r.OfferId, r.Goal)).Distinct().Count());
        }
        var report = await ReportAsync(s.Webmaster.Client, "groupBy=day&preset=today");
        Assert.Equal(6, report.GetProperty("totals").Long("clicks"));
    }

    [Fact]
    public async Task ReportValidation_RefusesBadParameters_ByField()
    {
        var s = await SetupAsync(app);
        async Task<JsonElement> Bad(HttpClient client, string query) =>
            await (await client.GetAsync("/api/v1/reports?" + query)).ExpectJsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.True((await Bad(s.Webmaster.Client, "groupBy=weekday")).GetProperty("errors").TryGetProperty("groupBy", out _));
        Assert.True((await Bad(s.Advertiser.Client, "groupBy=sub1")).GetProperty("errors").TryGetProperty("groupBy", out _));
        Assert.True((await Bad(s.Webmaster.Client, "from=2026-05-02&to=2026-05-01")).GetProperty("errors").TryGetProperty("from", out _));
        Assert.True((await Bad(s.Webmaster.Client, "from=2020-01-01&to=2026-05-01")).GetProperty("errors").TryGetProperty("to", out _));
        Assert.True((await Bad(s.Webmaster.Client, "sort=bogus")).GetProperty("errors").TryGetProperty("sort", out _));
        // Perspectives are role-bound: a webmaster cannot read the platform's or an advertiser's view.
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Webmaster.Client.GetAsync("/api/v1/reports?perspective=platform")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Webmaster.Client.GetAsync("/api/v1/reports?perspective=advertiser")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateAnonymousClient().GetAsync("/api/v1/reports")).StatusCode);
    }

    [Fact]
    public async Task Reports_ShowOnlyTheCallersOwnData_AndCsvMatchesJson()
    {
        var rng = new Random(11);
        var mine = await SetupAsync(app);
        var theirs = await SetupAsync(app);
        for (var i = 0; i < 4; i++) await ClickAsync(mine.LinkCode, rng);
        for (var i = 0; i < 9; i++) await ClickAsync(theirs.LinkCode, rng);
        await RefreshAsync();

        var webmaster = await ReportAsync(mine.Webmaster.Client, "groupBy=offer");
        Assert.Equal(4, webmaster.GetProperty("totals").GetProperty("clicks").GetInt64());
        Assert.Equal([mine.OfferId], webmaster.GetProperty("rows").EnumerateArray().Select(r => r.Str("key")).ToArray());
        var advertiser = await ReportAsync(theirs.Advertiser.Client, "groupBy=offer");
        Assert.Equal(9, advertiser.GetProperty("totals").GetProperty("clicks").GetInt64());
        // Asking for another's offer gives nothing, not their figures.
        var other = await ReportAsync(mine.Webmaster.Client, $"groupBy=day&offerId={theirs.OfferId}");
        Assert.Equal(0, other.GetProperty("totals").GetProperty("clicks").GetInt64());

        var csv = await (await mine.Webmaster.Client.GetAsync("/api/v1/reports?groupBy=offer&format=csv")).ExpectStatusAsync(HttpStatusCode.OK);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("offer,label,clicks,unique_clicks", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{mine.OfferId},", lines[1]);
        Assert.Equal("4", lines[1].Split(',')[2]);
    }

    // ---- traffic ----

    private async Task<Traffic> RandomTrafficAsync(Random rng)
    {
        var s = await SetupAsync(app);
        var w2 = await app.RegisterAsync("webmaster");
        var link2 = (await OfferApi.JoinAsync(w2.Client, s.OfferId)).Str("linkCode");
        await SetTimeZoneAsync(s.Webmaster, "Europe/Moscow");
        await SetTimeZoneAsync(s.Advertiser, "America/New_York");

        var conversions = new List<(string, string, string)>();
        for (var i = 0; i < 40; i++)
        {
            var clickId = await ClickAsync(rng.Next(3) == 0 ? link2 : s.LinkCode, rng);
            if (rng.Next(2) == 0) continue;
            var goal = new[] { "lead", "deposit", "sale" }[rng.Next(3)];
            var status = new[] { "approved", "pending", "pending", "rejected" }[rng.Next(4)];
            var txId = $"tx-{i}";
            await (await GetAsync(app, Query(("click_id", clickId), ("goal", goal), ("txid", txId), ("status", status), ("token", s.Token),
                ("amount", goal == "sale" ? (1000 + rng.Next(9000)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null)))).ExpectOkAsync();
            conversions.Add((clickId, goal, txId));
        }

        var buyer = await DisputeHarness.FundedBuyerAsync(app);
        var saleIds = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var body = LeadIntakeTests.Body();
            body["sub1"] = new[] { "fb", "vk", "" }[rng.Next(3)];
            var lead = await (await s.Webmaster.Client.PostJsonAsync("/api/v1/leads", body)).ExpectJsonAsync(HttpStatusCode.Created);
            if (i % 4 == 3) continue; // left unsold
            var bought = await (await buyer.Client.PostJsonAsync($"/api/v1/catalog/{lead.Str("leadId")}/buy", new { exclusive = true }))
                .ExpectJsonAsync(HttpStatusCode.Created);
            saleIds.Add(Guid.Parse(bought.Str("saleId")));
        }
        await (await buyer.Client.PatchAsync($"/api/v1/purchases/{saleIds[0]}", JsonContent.Create(new { status = "converted", saleAmount = 5_000_000 })))
            .ExpectStatusAsync(HttpStatusCode.OK);
        var dispute = await (await DisputeHarness.DisputeAsync(buyer.Client, saleIds[1])).ExpectJsonAsync(HttpStatusCode.Created);
        await (await DisputeHarness.DecideAsync(await app.DemoClientAsync("moderator"), dispute.Str("id"))).ExpectStatusAsync(HttpStatusCode.OK);
        return new Traffic(s, w2, buyer, conversions, saleIds);
    }

    /// <summary>History: a share of every kind of fact is moved 1 to 3 days (and some hours) back, as if it had happened then.</summary>
    private async Task MoveIntoThePastAsync(Traffic t, Random rng)
    {
        var wm = t.Setup.Webmaster.UserId;
        var clickIds = await app.WithDbAsync(db => db.Clicks.Where(c => c.OfferId == Guid.Parse(t.Setup.OfferId)).Select(c => c.Id).ToListAsync());
        foreach (var id in clickIds.Where((_, i) => i % 2 == 0))
        {
            var back = TimeSpan.FromHours(rng.Next(20, 80));
            await app.WithDbAsync(async db =>
            {
                foreach (var c in await db.Clicks.Where(c => c.Id == id).ToListAsync()) db.Entry(c).Property(x => x.CreatedAt).CurrentValue = c.CreatedAt - back;
                foreach (var c in await db.Conversions.Where(c => c.ClickId == id).ToListAsync()) db.Entry(c).Property(x => x.CreatedAt).CurrentValue = c.CreatedAt - back;
                return await db.SaveChangesAsync();
            });
        }
        var leadIds = await app.WithDbAsync(db => db.Leads.Where(l => l.SellerId == wm).Select(l => l.Id).ToListAsync());
        foreach (var id in leadIds.Where((_, i) => i % 2 == 1))
        {
            var back = TimeSpan.FromHours(rng.Next(20, 80));
            await app.WithDbAsync(async db =>
            {
                foreach (var l in await db.Leads.Where(l => l.Id == id).ToListAsync()) db.Entry(l).Property(x => x.CreatedAt).CurrentValue = l.CreatedAt - back;
                foreach (var s in await db.LeadSales.Where(s => s.LeadId == id).ToListAsync()) db.Entry(s).Property(x => x.SoldAt).CurrentValue = s.SoldAt - back;
                return await db.SaveChangesAsync();
            });
        }
    }

    /// <summary>A click with random sub1 and sub2 through the shared click helper; every fourth repeats an address: not unique.</summary>
    private Task<string> ClickAsync(string linkCode, Random rng)
    {
        var sub1 = new[] { "fb", "google", "" }[rng.Next(3)];
        var sub2 = new[] { "banner-a", "banner-b" }[rng.Next(2)];
        return PostbackHarness.ClickAsync(app, linkCode, rng.Next(4) == 0 ? "198.51.100.77" : null, sub1, Browser, sub2);
    }

    private static async Task SetTimeZoneAsync(TestUser user, string zone) =>
        await (await user.Client.PutAsJsonAsync("/api/v1/profile", new { displayName = "Report user", timeZone = zone, culture = "en" }))
            .ExpectStatusAsync(HttpStatusCode.OK);

    private async Task<int> RefreshAsync() => await SendAsync(new RefreshReportRollupsCommand("test-node"));

    private async Task<int> SendAsync(IRequest<int> request)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    private sealed record RowShape(DateTime Hour, int SubSlot, string SubValue, Guid OfferId, string Goal, long Clicks, long Unique, long Leads, long Sales);

    private Task<List<RowShape>> RowsAsync(string webmasterId) => app.WithDbAsync(db => db.ReportRollups.AsNoTracking()
        .Where(r => r.WebmasterId == webmasterId)
        .OrderBy(r => r.HourUtc).ThenBy(r => r.SubSlot).ThenBy(r => r.SubValue).ThenBy(r => r.GoalCode)
        .Select(r => new RowShape(r.HourUtc, r.SubSlot, r.SubValue, r.OfferId, r.GoalCode, r.Counters.Clicks, r.Counters.UniqueClicks,
            r.Counters.Leads, r.Counters.Sales)).ToListAsync());

    private static async Task<JsonElement> ReportAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/v1/reports?pageSize=5000&" + query)).ExpectJsonAsync(HttpStatusCode.OK);

    // ---- the recount ----

    private async Task AssertReportsMatchRawAsync(Traffic t)
    {
        var offerId = Guid.Parse(t.Setup.OfferId);
        var wm = t.Setup.Webmaster.UserId;
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var raw = await app.WithDbAsync(async db => new
        {
            Clicks = await db.Clicks.AsNoTracking().Where(c => c.OfferId == offerId).Select(c => new { c.WebmasterId, c.CreatedAt, c.IsUnique, c.Sub1 }).ToListAsync(),
            Conversions = await db.Conversions.AsNoTracking().Where(c => c.OfferId == offerId)
                .Select(c => new { c.WebmasterId, c.CreatedAt, c.Status, c.GoalCode, c.AdvertiserAmount, c.WebmasterAmount, c.SaleAmount, c.Sub1 }).ToListAsync(),
            Leads = await db.Leads.AsNoTracking().Where(l => l.SellerId == wm).Select(l => new { l.CreatedAt, l.Status, l.Sub1 }).ToListAsync(),
            Sales = await (from s in db.LeadSales.AsNoTracking()
                           where s.SellerId == wm
                           join h in db.EscrowHolds.AsNoTracking() on s.HoldId equals h.Id
                           join l in db.Leads.AsNoTracking() on s.LeadId equals l.Id
                           select new
                           {
                               s.SoldAt, s.Price, h.WebmasterShare, s.SaleAmount, l.Sub1,
                               Returned = db.Disputes.Any(d => d.SaleId == s.Id && d.Status == DisputeStatus.Upheld),
                           }).ToListAsync(),
        });
        var now = app.Clock.UtcNow;
        var from = DateOnly.FromDateTime(now.AddDays(-6));
        var to = DateOnly.FromDateTime(now.AddDays(2));
        string Day(DateTime utc, TimeZoneInfo zone) =>
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone)).ToString("yyyy-MM-dd");
        bool Counted(ConversionStatus s) => s != ConversionStatus.Rejected;

        // Webmaster, by day in Moscow time.
        var wmClicks = raw.Clicks.Where(c => c.WebmasterId == wm).ToList();
        var wmConversions = raw.Conversions.Where(c => c.WebmasterId == wm).ToList();
        var byDay = Rows(await ReportAsync(t.Setup.Webmaster.Client, $"groupBy=day&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
        Assert.Equal(9, byDay.Count);
        foreach (var (day, f) in byDay)
        {
            Assert.Equal(wmClicks.Count(c => Day(c.CreatedAt, moscow) == day), f.Long("clicks"));
            Assert.Equal(wmClicks.Count(c => c.IsUnique && Day(c.CreatedAt, moscow) == day), f.Long("uniqueClicks"));
            var expectedLeads = raw.Leads.Count(l => l.Status != LeadStatus.Rejected && Day(l.CreatedAt, moscow) == day);
            Assert.True(expectedLeads == f.Long("leads"), $"leads on {day}: raw {expectedLeads}, report {f.Long("leads")}; raw leads: "
                + string.Join(", ", raw.Leads.Select(l => $"{l.CreatedAt:O} {l.Status}")));
            Assert.Equal(raw.Sales.Count(s => Day(s.SoldAt, moscow) == day), f.Long("leadsSold"));
            Assert.Equal(raw.Sales.Count(s => s.Returned && Day(s.SoldAt, moscow) == day), f.Long("returns"));
            Assert.Equal(wmConversions.Count(c => Counted(c.Status) && Day(c.CreatedAt, moscow) == day), f.Long("conversions"));
            Assert.Equal(wmConversions.Count(c => c.Status == ConversionStatus.Rejected && Day(c.CreatedAt, moscow) == day), f.Long("conversionsRejected"));
            Assert.Equal(wmConversions.Where(c => Counted(c.Status) && Day(c.CreatedAt, moscow) == day).Sum(c => c.WebmasterAmount)
                         + raw.Sales.Where(s => !s.Returned && Day(s.SoldAt, moscow) == day).Sum(s => s.WebmasterShare), f.Long("earnings"));
        }
        Assert.True(byDay.Count(d => d.Figures.Long("clicks") > 0) >= 2, "the history spreads over several days");

        // Webmaster, by sub1.
        var bySub = Rows(await ReportAsync(t.Setup.Webmaster.Client, $"groupBy=sub1&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
        foreach (var (sub, f) in bySub)
        {
            Assert.Equal(wmClicks.Count(c => (c.Sub1 ?? "") == sub), f.Long("clicks"));
            Assert.Equal(wmConversions.Count(c => Counted(c.Status) && (c.Sub1 ?? "") == sub), f.Long("conversions"));
            Assert.Equal(raw.Leads.Count(l => l.Status != LeadStatus.Rejected && (l.Sub1 ?? "") == sub), f.Long("leads"));
            Assert.Equal(raw.Sales.Count(s => (s.Sub1 ?? "") == sub), f.Long("leadsSold"));
        }
        Assert.Equal(wmClicks.Count, bySub.Sum(r => r.Figures.Long("clicks")));

        // By sub1 from a day inside the history: whole UTC days come from the stored sub-id days, the hours between Moscow
        // midnight (21:00 UTC) and the next UTC midnight and the days not stored yet are recounted raw; together exact.
        Assert.True(await app.WithDbAsync(db => db.ReportRollups.AnyAsync(r => r.SubSlot > 0 && r.WebmasterId == wm)), "sub-id days were stored");
        // Two days before the webmaster's today (Moscow's date, which is the next UTC date from 21:00 UTC).
        var mid = DateOnly.ParseExact(Day(now, moscow), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(-2).ToString("yyyy-MM-dd");
        bool Later(DateTime utc) => string.CompareOrdinal(Day(utc, moscow), mid) >= 0;
        var bySubLater = Rows(await ReportAsync(t.Setup.Webmaster.Client, $"groupBy=sub1&from={mid}&to={to:yyyy-MM-dd}"));
        foreach (var (sub, f) in bySubLater)
        {
            Assert.Equal(wmClicks.Count(c => Later(c.CreatedAt) && (c.Sub1 ?? "") == sub), f.Long("clicks"));
            Assert.Equal(wmConversions.Count(c => Later(c.CreatedAt) && Counted(c.Status) && (c.Sub1 ?? "") == sub), f.Long("conversions"));
            Assert.Equal(raw.Sales.Count(s => Later(s.SoldAt) && (s.Sub1 ?? "") == sub), f.Long("leadsSold"));
        }
        Assert.Equal(wmClicks.Count(c => Later(c.CreatedAt)), bySubLater.Sum(r => r.Figures.Long("clicks")));
        Assert.True(wmClicks.Count(c => Later(c.CreatedAt)) < wmClicks.Count, "the range cuts through the history");

        // Advertiser, by day in New York time and by goal: their offer's clicks and conversions from both webmasters.
        var advByDay = Rows(await ReportAsync(t.Setup.Advertiser.Client, $"groupBy=day&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
        foreach (var (day, f) in advByDay)
        {
            Assert.Equal(raw.Clicks.Count(c => Day(c.CreatedAt, newYork) == day), f.Long("clicks"));
            Assert.Equal(raw.Conversions.Count(c => Counted(c.Status) && Day(c.CreatedAt, newYork) == day), f.Long("conversions"));
            Assert.Equal(raw.Conversions.Where(c => Counted(c.Status) && Day(c.CreatedAt, newYork) == day).Sum(c => c.AdvertiserAmount), f.Long("spend"));
            Assert.Equal(raw.Conversions.Where(c => Counted(c.Status) && Day(c.CreatedAt, newYork) == day).Sum(c => c.SaleAmount ?? 0), f.Long("revenue"));
        }
        var byGoal = Rows(await ReportAsync(t.Setup.Advertiser.Client, $"groupBy=goal&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
        foreach (var goal in new[] { "lead", "deposit", "sale" })
        {
            var row = byGoal.SingleOrDefault(r => r.Key == goal);
            var expected = raw.Conversions.Count(c => Counted(c.Status) && c.GoalCode == goal);
            Assert.Equal(expected, row.Figures.ValueKind == JsonValueKind.Undefined ? 0 : row.Figures.Long("conversions"));
        }

        // The buyer: purchases as leads, spend net of returns, revenue from the converted sale, in UTC (their default zone).
        var buyer = await ReportAsync(t.Buyer.Client, $"groupBy=niche&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        var totals = buyer.GetProperty("totals");
        Assert.Equal(raw.Sales.Count, totals.Long("leads"));
        Assert.Equal(raw.Sales.Count(s => s.Returned), totals.Long("returns"));
        Assert.Equal(raw.Sales.Where(s => !s.Returned).Sum(s => s.Price), totals.Long("spend"));
        Assert.Equal(raw.Sales.Sum(s => s.SaleAmount ?? 0), totals.Long("revenue"));
        Assert.Equal("real-estate", buyer.GetProperty("rows").EnumerateArray().Single().Str("key"));

        // The platform, filtered to this offer.
        var platform = await ReportAsync(await app.DemoClientAsync("admin"), $"groupBy=offer&offerId={offerId}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        Assert.Equal(raw.Clicks.Count, platform.GetProperty("totals").Long("clicks"));
    }

    private static List<(string Key, JsonElement Figures)> Rows(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().Select(r => (r.Str("key"), r.GetProperty("figures"))).ToList();
}

internal static class ReportJson
{
    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();
}

public sealed class ReportRollupTests_Sqlite(PostbackSqliteFactory app) : ReportRollupTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class ReportRollupTests_PostgreSql(PostbackPostgreSqlFactory app) : ReportRollupTests(app), IClassFixture<PostbackPostgreSqlFactory>;
