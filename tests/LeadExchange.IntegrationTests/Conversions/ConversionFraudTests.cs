using System.Net;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Tracking;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Conversions;

/// <summary>Conversion fraud rules: flags send a conversion to review (held, not auto-approved); a blocklisted click is refused.</summary>
public abstract class ConversionFraudTests(PostbackFactory app)
{
    private Task<Conversion> ConversionAsync(string id) =>
        app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(id)));

    /// <summary>A click made well before its postback, so the "too fast" rule stays out of the way.</summary>
    private async Task<string> ClickLongAgoAsync(string linkCode, string? ip = null, string sub1 = "s1", string userAgent = Browser)
    {
        var clickId = await ClickAsync(app, linkCode, ip, sub1, userAgent);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        return clickId;
    }

    [Fact]
    public async Task TooFastAfterClick_IsFlaggedHeldForReview_AndNotAutoApproved_UntilTheAdvertiserApproves()
    {
        var s = await SetupAsync(app, OfferBody(holdDays: 1));
        var clickId = await ClickAsync(app, s.LinkCode);

        // Even "approved" by the postback, a flagged conversion waits for a person.
        var (id, status, _) = await (await GetAsync(app, Query(("click_id", clickId), ("status", "approved"), ("token", s.Token)))).ExpectOkAsync();

        Assert.Equal("pending", status);
        var conversion = await ConversionAsync(id);
        Assert.True(conversion.ReviewRequired);
        Assert.Contains(ConversionFraud.TooFast, conversion.FraudFlags);
        app.Clock.Advance(TimeSpan.FromDays(2));
        await app.ReleaseDueHoldsAsync();
        Assert.Equal(ConversionStatus.Pending, (await ConversionAsync(id)).Status);
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.WebmasterAvailable, s.Webmaster.UserId));

        var reviewQueue = await (await s.Advertiser.Client.GetAsync("/api/v1/conversions?reviewRequired=true")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(reviewQueue.Items()).Str("id"));
        await (await s.Advertiser.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "approved" })).ExpectJsonAsync(HttpStatusCode.OK);
        await app.ReleaseDueHoldsAsync();

        Assert.Equal(ConversionStatus.Approved, (await ConversionAsync(id)).Status);
        Assert.False((await ConversionAsync(id)).ReviewRequired);
        Assert.Equal(18_000, await LedgerHarness.BalanceAsync(app, AccountType.WebmasterAvailable, s.Webmaster.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task ClickFromBlocklistedIp_IsRefusedAsRejectedFraud()
    {
        var s = await SetupAsync(app);
        var ip = Tracking.ClickFactory.NextIp();
        var clickId = await ClickLongAgoAsync(s.LinkCode, ip);
        await app.WithDbAsync(async db =>
        {
            db.IpBlocklist.Add(new BlockedIp(ip, "card testing", TestTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<IIpBlocklist>().RefreshAsync();

        await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.Forbidden, "rejected_fraud");
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
    }

    [Fact]
    public async Task SecondConversionFromTheSameIp_IsFlaggedDuplicateIp()
    {
        var s = await SetupAsync(app);
        var ip = Tracking.ClickFactory.NextIp();
        var first = await (await GetAsync(app, Query(("click_id", await ClickLongAgoAsync(s.LinkCode, ip)), ("token", s.Token)))).ExpectOkAsync();
        var second = await (await GetAsync(app, Query(("click_id", await ClickLongAgoAsync(s.LinkCode, ip, userAgent: Browser + " Edg/1")), ("token", s.Token)))).ExpectOkAsync();

        Assert.Null((await ConversionAsync(first.Id)).FraudFlags);
        Assert.Equal(ConversionFraud.DuplicateIp, (await ConversionAsync(second.Id)).FraudFlags);
    }

    [Fact]
    public async Task ConversionRateAnomaly_IsFlaggedOnceTheWebmastersRateIsImplausible()
    {
        var s = await SetupAsync(app);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await (await GetAsync(app, Query(("click_id", await ClickLongAgoAsync(s.LinkCode)), ("token", s.Token)))).ExpectOkAsync()).Id);

        // 4 of 4 clicks converting is suspicious but below the minimum count; the 5th of 5 is flagged.
        foreach (var id in ids.Take(4)) Assert.Null((await ConversionAsync(id)).FraudFlags);
        Assert.Equal(ConversionFraud.CrAnomaly, (await ConversionAsync(ids[4])).FraudFlags);
    }

    [Fact]
    public async Task ConversionOfAFlaggedClick_IsFlagged()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickLongAgoAsync(s.LinkCode, userAgent: "python-requests/2.31");
        var (id, _, _) = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();
        Assert.Equal(ConversionFraud.FlaggedClick, (await ConversionAsync(id)).FraudFlags);
    }

    [Fact]
    public async Task ExpiredClick_IsRefusedAsUnknownClick()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickLongAgoAsync(s.LinkCode);
        app.Clock.Advance(TimeSpan.FromDays(31));
        var body = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.NotFound, "unknown_click");
        Assert.Contains("expired", body.Str("message"));
    }

    [Fact]
    public async Task ModeratorCanRejectAFlaggedConversion_RefundingTheAdvertiser()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickLongAgoAsync(s.LinkCode);
        var (id, _, _) = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();
        var moderator = await app.DemoClientAsync("moderator");

        var change = await (await moderator.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "rejected", note = "fraud ring" })).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal("rejected", change.Str("status"));
        Assert.Equal("fraud ring", (await ConversionAsync(id)).Note);
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }
}

/// <summary>The "too fast" rule at 60 s, as it would be configured in production (the default is 5 s).</summary>
public class StrictFraudPostbackFactory(TestDatabase database) : PostbackFactory(database)
{
    protected override int MinSecondsAfterClick => 60;
}

public sealed class StrictFraudSqliteFactory() : StrictFraudPostbackFactory(TestDatabase.Sqlite);

public sealed class StrictFraudPostgreSqlFactory() : StrictFraudPostbackFactory(TestDatabase.PostgreSql);

public sealed class ConversionFraudTests_Sqlite(StrictFraudSqliteFactory app) : ConversionFraudTests(app), IClassFixture<StrictFraudSqliteFactory>;

public sealed class ConversionFraudTests_PostgreSql(StrictFraudPostgreSqlFactory app) : ConversionFraudTests(app), IClassFixture<StrictFraudPostgreSqlFactory>;
