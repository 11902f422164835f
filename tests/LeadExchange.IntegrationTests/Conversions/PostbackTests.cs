using System.Net;
using System.Net.Http.Json;
using System.Text;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Tracking;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Conversions;

/// <summary>API.md "Postback": parameters and aliases, answers, authentication, idempotency and money.</summary>
public abstract class PostbackTests(PostbackFactory app)
{
    [Fact]
    public async Task Postback_Get_RecordsPendingConversionAndHoldsAdvertiserMoneyInEscrow()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode, sub1: "camp 7");

        var (id, status, duplicate) = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();

        Assert.Equal("pending", status);
        Assert.False(duplicate);
        var conversion = await app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(id)));
        Assert.Equal(clickId, conversion.ClickId);
        Assert.Equal("lead", conversion.GoalCode);
        Assert.Equal(25_000, conversion.AdvertiserAmount);
        Assert.Equal(18_000, conversion.WebmasterAmount);
        Assert.Equal(s.Webmaster.UserId, conversion.WebmasterId);
        Assert.Equal("camp 7", conversion.Sub1);
        Assert.False(conversion.ReviewRequired);
        Assert.Equal(10_000_000 - 25_000, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, s.Advertiser.UserId));
        Assert.Equal(25_000, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        var hold = await app.WithDbAsync(db => db.EscrowHolds.AsNoTracking().SingleAsync(h => h.SourceId == conversion.Id));
        Assert.Equal(18_000, hold.WebmasterShare);
        Assert.Equal(7_000, hold.PlatformShare);
        Assert.Equal(conversion.HoldUntil, hold.ReleaseAt);
        var webmasterBalance = await (await s.Webmaster.Client.GetAsync("/api/v1/balance?currency=RUB")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(18_000, webmasterBalance.GetProperty("pending").GetInt64());
        Assert.Equal(0, webmasterBalance.GetProperty("available").GetInt64());
        await LedgerHarness.AssertReconciledAsync(app);
    }

    public static TheoryData<string, string, string, string, string, string> AliasSets => new()
    {
        // click_id alias, goal alias, amount alias, txid alias, status alias, token alias
        { "click_id", "goal", "amount", "txid", "status", "token" },
        { "clickid", "event", "sum", "tid", "cnv_status", "security_token" },
        { "transaction_id", "goal_id", "payout", "order_id", "status", "verification_token" },
        { "subid", "et", "revenue", "adv_sub", "status", "secure" },
        { "cid", "type", "amount", "action_id", "status", "token" },
        { "cnv_id", "goal", "amount", "txid", "status", "token" },
    };

    [Theory]
    [MemberData(nameof(AliasSets))]
    public async Task Postback_AcceptsEveryAlias(string clickName, string goalName, string amountName, string txName, string statusName, string tokenName)
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);

        var (id, status, _) = await (await GetAsync(app, Query((clickName, clickId), (goalName, "sale"), (amountName, "1234.50"),
            ("cnv_currency", "RUB"), (txName, "order-1"), (statusName, "1"), (tokenName, s.Token)))).ExpectOkAsync();

        Assert.Equal("approved", status);
        var c = await app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(x => x.Id == Guid.Parse(id)));
        Assert.Equal("sale", c.GoalCode);
        Assert.Equal(123_450, c.SaleAmount);
        Assert.Equal(12_345, c.AdvertiserAmount); // 10% of 1234.50
        Assert.Equal(7_407, c.WebmasterAmount);   // 6%, rounded down
        Assert.Equal("order-1", c.TxId);
        Assert.Equal(ConversionStatus.Approved, c.Status);
    }

    [Theory]
    [InlineData("2", "pending")]
    [InlineData("lead", "pending")]
    [InlineData("sale", "pending")]
    [InlineData("approved", "approved")]
    [InlineData("3", "rejected")]
    [InlineData("rejected", "rejected")]
    public async Task Postback_MapsStatusValues(string sent, string expected)
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        var (_, status, _) = await (await GetAsync(app, Query(("clickid", clickId), ("status", sent), ("token", s.Token)))).ExpectOkAsync();
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Postback_PostForm_PostJson_AndPixel_RecordConversions()
    {
        var s = await SetupAsync(app);
        using var client = app.CreateAnonymousClient();

        var form = await client.PostAsync("/postback", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["cid"] = await ClickAsync(app, s.LinkCode), ["event"] = "deposit", ["secure"] = s.Token,
        }));
        var (formId, _, _) = await form.ExpectOkAsync();

        var json = await client.PostAsJsonAsync("/postback", new { clickid = await ClickAsync(app, s.LinkCode), goal = "sale", sum = 99.99, token = s.Token });
        var (jsonId, _, _) = await json.ExpectOkAsync();

        using var pixel = await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)), path: "/pixel.gif");
        Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        Assert.Equal("image/gif", pixel.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("GIF89a", Encoding.ASCII.GetString(await pixel.Content.ReadAsByteArrayAsync()));

        using var badPixel = await GetAsync(app, Query(("click_id", "nope"), ("token", s.Token)), path: "/pixel.gif");
        Assert.Equal(HttpStatusCode.NotFound, badPixel.StatusCode);
        Assert.Equal("image/gif", badPixel.Content.Headers.ContentType?.MediaType);

        var goals = await app.WithDbAsync(db => db.Conversions.AsNoTracking().Where(c => c.OfferId == Guid.Parse(s.OfferId))
            .Select(c => new { c.Id, c.GoalCode, c.AdvertiserAmount }).ToListAsync());
        Assert.Equal(3, goals.Count);
        Assert.Contains(goals, g => g.Id == Guid.Parse(formId) && g.GoalCode == "deposit" && g.AdvertiserAmount == 100_000);
        Assert.Contains(goals, g => g.Id == Guid.Parse(jsonId) && g.GoalCode == "sale" && g.AdvertiserAmount == 999);
        Assert.Contains(goals, g => g.GoalCode == "lead");
    }

    [Fact]
    public async Task Postback_Repeated_AnswersDuplicateWithFirstIdAndChargesOnce()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        var query = Query(("click_id", clickId), ("txid", "A-1"), ("token", s.Token));

        var first = await (await GetAsync(app, query)).ExpectOkAsync();
        var second = await (await GetAsync(app, query)).ExpectOkAsync();
        var otherTx = await (await GetAsync(app, Query(("click_id", clickId), ("txid", "A-2"), ("token", s.Token)))).ExpectOkAsync();
        var noTx1 = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();
        var noTx2 = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Id, second.Id);
        Assert.False(otherTx.Duplicate);
        Assert.NotEqual(first.Id, otherTx.Id);
        Assert.False(noTx1.Duplicate);
        Assert.True(noTx2.Duplicate);
        Assert.Equal(noTx1.Id, noTx2.Id);
        Assert.Equal(3, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
        Assert.Equal(3 * 25_000, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Postback_HundredIdenticalInParallel_CreateOneConversionAndOneCharge()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        var query = Query(("click_id", clickId), ("goal", "deposit"), ("txid", "race"), ("token", s.Token));

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ => await (await GetAsync(app, query)).ExpectOkAsync()));

        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Single(answers, a => !a.Duplicate);
        Assert.Equal(1, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.EscrowHolds.CountAsync(h => h.AdvertiserId == s.Advertiser.UserId)));
        Assert.Equal(100_000, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Postback_SameStatusChangeManyTimesInParallel_ChangesOnceAndAnswersOkToEvery()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        var (id, _, _) = await (await GetAsync(app, Query(("click_id", clickId), ("txid", "t-1"), ("token", s.Token)))).ExpectOkAsync();
        var approve = Query(("click_id", clickId), ("txid", "t-1"), ("status", "approved"), ("token", s.Token));

        // Trackers resend: every copy of one status change is a repeat (200, duplicate), never a "changed meanwhile" failure.
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ => await (await GetAsync(app, approve)).ExpectOkAsync()));

        Assert.All(answers, a => Assert.Equal((id, "approved"), (a.Id, a.Status)));
        Assert.Single(answers, a => !a.Duplicate);
        Assert.Equal(ConversionStatus.Approved, (await app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.ClickId == clickId))).Status);
    }

    [Fact]
    public async Task Postback_HundredIdenticalSplitAcrossTwoNodes_CreateOneConversion()
    {
        var s = await SetupAsync(app);
        await using var node2 = app.SecondNode();
        await node2.InitializeAsync();
        var clickId = await ClickAsync(app, s.LinkCode);
        var query = Query(("click_id", clickId), ("goal", "deposit"), ("token", s.Token));

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
            await (await GetAsync(i % 2 == 0 ? app : node2, query)).ExpectOkAsync()));

        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Single(answers, a => !a.Duplicate);
        Assert.Equal(1, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
        Assert.Equal(100_000, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Postback_AuthFailures_AnswerCodesAndRecordNothing()
    {
        var s = await SetupAsync(app);
        var other = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);

        await (await GetAsync(app, Query(("click_id", clickId)))).ExpectErrorAsync(HttpStatusCode.Forbidden, "bad_token");
        await (await GetAsync(app, Query(("click_id", clickId), ("token", "wrong-token-0000")))).ExpectErrorAsync(HttpStatusCode.Forbidden, "bad_token");
        // Another advertiser's valid token cannot convert this advertiser's click.
        await (await GetAsync(app, Query(("click_id", clickId), ("token", other.Token)))).ExpectErrorAsync(HttpStatusCode.NotFound, "unknown_click");
        await (await GetAsync(app, Query(("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.BadRequest, "unknown_click");
        await (await GetAsync(app, Query(("click_id", "NoSuchClick0000000000000"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.NotFound, "unknown_click");
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "nope"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "unknown_goal");
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "sale"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "bad_amount");
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "sale"), ("amount", "12,50"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "bad_amount");
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "sale"), ("amount", "1.005"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "bad_amount");
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "sale"), ("amount", "10"), ("currency", "USD"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "bad_amount");
        await (await GetAsync(app, Query(("click_id", clickId), ("status", "maybe"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "bad_status");

        Assert.Equal(0, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        // After all those refusals a correct postback still records (no fast-path key was left behind).
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "sale"), ("amount", "10"), ("token", s.Token)))).ExpectOkAsync();
    }

    [Fact]
    public async Task Postback_IpAllowListAndSignature_AreEnforcedWhenTurnedOn()
    {
        var s = await SetupAsync(app);
        var update = await s.Advertiser.Client.PutJsonAsync("/api/v1/postback-settings",
            new { requireSignature = true, allowedIps = new[] { "203.0.113.10", "2001:db8::1" } });
        await update.ExpectJsonAsync(HttpStatusCode.OK);
        var clickId = await ClickAsync(app, s.LinkCode);
        var query = Query(("click_id", clickId), ("token", s.Token));
        var signature = Signatures.Sign(s.SigningSecret, Encoding.UTF8.GetBytes(query));

        await (await GetAsync(app, query, ip: "198.51.100.77", signature: signature)).ExpectErrorAsync(HttpStatusCode.Forbidden, "ip_not_allowed");
        await (await GetAsync(app, query)).ExpectErrorAsync(HttpStatusCode.Forbidden, "bad_token");
        await (await GetAsync(app, query, signature: "sha256=" + new string('0', 64))).ExpectErrorAsync(HttpStatusCode.Forbidden, "bad_token");
        await (await GetAsync(app, query, signature: signature)).ExpectOkAsync();

        // POST: the body is what is signed.
        var body = Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token));
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/postback") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Forwarded-For", "2001:db8::1");
        request.Headers.Add("X-Signature", Signatures.Sign(s.SigningSecret, Encoding.UTF8.GetBytes(body)));
        await (await client.SendAsync(request)).ExpectOkAsync();

        var invalid = await s.Advertiser.Client.PutJsonAsync("/api/v1/postback-settings", new { requireSignature = false, allowedIps = new[] { "not-an-ip" } });
        (await invalid.ExpectValidationErrorsAsync()).AssertHasError("allowedIps");
    }

    [Fact]
    public async Task Postback_RightAfterTheClick_FindsTheClickStillInTheWriteBuffer()
    {
        await using var slowWriter = new SlowClickWriterFactory(app.Database);
        await slowWriter.InitializeAsync();
        var s = await SetupAsync(slowWriter);
        using var client = slowWriter.CreateAnonymousClient();
        using var click = await client.GetAsync($"/c/{s.LinkCode}?sub1=x");
        var clickId = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(click.Headers.Location!.Query)["cid"].ToString();
        Assert.False(await slowWriter.WithDbAsync(db => db.Clicks.AnyAsync(c => c.Id == clickId))); // batches wait 30 s

        var (id, _, _) = await (await GetAsync(slowWriter, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();

        Assert.Equal(clickId, await slowWriter.WithDbAsync(db => db.Conversions.Where(c => c.Id == Guid.Parse(id)).Select(c => c.ClickId).SingleAsync()));
    }

    [Fact]
    public async Task Postback_TestClickId_ChecksTheIntegrationWithoutRecording()
    {
        var s = await SetupAsync(app);
        var body = await (await GetAsync(app, Query(("click_id", "test"), ("token", s.Token)))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ok", body.Str("result"));
        Assert.True(body.GetProperty("test").GetBoolean());
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.AdvertiserId == s.Advertiser.UserId)));
    }

    [Fact]
    public async Task Postback_StatusFlow_ApproveThenRejectInsideHoldRefunds_RejectIsFinal()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        var q = (string? status) => Query(("click_id", clickId), ("txid", "T1"), ("status", status), ("token", s.Token));

        var created = await (await GetAsync(app, q(null))).ExpectOkAsync();
        var approved = await (await GetAsync(app, q("approved"))).ExpectOkAsync();
        var again = await (await GetAsync(app, q("approved"))).ExpectOkAsync();
        Assert.Equal(("pending", false), (created.Status, created.Duplicate));
        Assert.Equal(("approved", false), (approved.Status, approved.Duplicate));
        Assert.Equal(("approved", true), (again.Status, again.Duplicate));
        await (await GetAsync(app, q("pending"))).ExpectErrorAsync(HttpStatusCode.Conflict, "status_locked");

        var rejected = await (await GetAsync(app, q("rejected"))).ExpectOkAsync();
        Assert.Equal("rejected", rejected.Status);
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        Assert.Equal(10_000_000, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, s.Advertiser.UserId));
        await (await GetAsync(app, q("approved"))).ExpectErrorAsync(HttpStatusCode.Conflict, "status_locked");
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task HoldPeriodEnd_ApprovesPendingAndPaysWebmaster_ThenRejectIsTooLate()
    {
        var s = await SetupAsync(app, OfferBody(holdDays: 3));
        var clickId = await ClickAsync(app, s.LinkCode);
        var (id, _, _) = await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();

        Assert.Equal(0, await ReleaseCountAsync()); // not due yet
        app.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.True(await ReleaseCountAsync() >= 1);

        var conversion = await app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(id)));
        Assert.Equal(ConversionStatus.Approved, conversion.Status);
        Assert.Equal(18_000, await LedgerHarness.BalanceAsync(app, AccountType.WebmasterAvailable, s.Webmaster.UserId));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await (await GetAsync(app, Query(("click_id", clickId), ("status", "rejected"), ("token", s.Token))))
            .ExpectErrorAsync(HttpStatusCode.Conflict, "status_locked");
        await LedgerHarness.AssertReconciledAsync(app);

        async Task<int> ReleaseCountAsync()
        {
            await app.ReleaseDueHoldsAsync();
            return await app.WithDbAsync(db => db.EscrowHolds.CountAsync(h => h.SourceId == Guid.Parse(id) && h.Status == HoldStatus.Released));
        }
    }

    [Fact]
    public async Task Postback_ManyConversionsOfOneAdvertiserInParallel_CommitInSharedTransactions_EachChargedOnce()
    {
        var s = await SetupAsync(app);
        var clicks = new List<string>();
        for (var i = 0; i < 40; i++) clicks.Add(await ClickAsync(app, s.LinkCode));
        var writer = app.Services.GetRequiredService<Application.Conversions.ConversionWriter>();
        var before = writer.Statistics;

        var answers = await Task.WhenAll(clicks.Select(c => Task.Run(async () => await (await GetAsync(app, Query(("click_id", c), ("token", s.Token)))).ExpectOkAsync())));

        // Forty postbacks of one advertiser, answered 200 each only once stored: fewer transactions than conversions (group
        // commit), every conversion stored once with one hold and one charge, the ledger whole.
        var after = writer.Statistics;
        Assert.All(answers, a => Assert.False(a.Duplicate));
        Assert.Equal(40, answers.Select(a => a.Id).Distinct().Count());
        Assert.True(after.Batches - before.Batches < 40, $"{after.Batches - before.Batches} transactions for 40 conversions");
        Assert.True(after.Grouped > before.Grouped, "no conversion was committed together with another");
        Assert.Equal(40, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.OfferId == Guid.Parse(s.OfferId))));
        Assert.Equal(40, await app.WithDbAsync(db => db.EscrowHolds.CountAsync(h => h.AdvertiserId == s.Advertiser.UserId)));
        Assert.Equal(40 * 25_000, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Caps_UnderParallelPostbacks_AreNeverExceeded()
    {
        var s = await SetupAsync(app, OfferBody(dailyCap: 3));
        var clicks = new List<string>();
        for (var i = 0; i < 10; i++) clicks.Add(await ClickAsync(app, s.LinkCode));

        var responses = await Task.WhenAll(clicks.Select(c => GetAsync(app, Query(("click_id", c), ("token", s.Token)))));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            await refused.ExpectErrorAsync(HttpStatusCode.Conflict, "cap_reached");
        Assert.Equal(3, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.OfferId == Guid.Parse(s.OfferId))));
        Assert.Equal(3 * 25_000, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));

        // A rejected conversion gives its place back.
        var first = responses.First(r => r.StatusCode == HttpStatusCode.OK);
        var (id, _, _) = await first.ExpectOkAsync();
        var clickOfFirst = await app.WithDbAsync(db => db.Conversions.Where(c => c.Id == Guid.Parse(id)).Select(c => c.ClickId).SingleAsync());
        await (await GetAsync(app, Query(("click_id", clickOfFirst), ("status", "rejected"), ("token", s.Token)))).ExpectOkAsync();
        var spare = clicks.First(c => c != clickOfFirst && responses[clicks.IndexOf(c)].StatusCode != HttpStatusCode.OK);
        await (await GetAsync(app, Query(("click_id", spare), ("token", s.Token)))).ExpectOkAsync();
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task WebmasterCap_LimitsOneWebmasterButNotAnother()
    {
        var s = await SetupAsync(app, OfferBody(webmasterDailyCap: 1));
        var second = await app.RegisterAsync("webmaster");
        var secondLink = (await OfferApi.JoinAsync(second.Client, s.OfferId)).Str("linkCode");

        await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();
        var refused = await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token))))
            .ExpectErrorAsync(HttpStatusCode.Conflict, "cap_reached");
        Assert.Contains("webmaster", refused.Str("message"), StringComparison.OrdinalIgnoreCase);
        await (await GetAsync(app, Query(("click_id", await ClickAsync(app, secondLink)), ("token", s.Token)))).ExpectOkAsync();
    }

    [Fact]
    public async Task InsufficientBalance_RefusesWith402AndRecordsNothing()
    {
        var s = await SetupAsync(app, topUp: 10_000);
        var clickId = await ClickAsync(app, s.LinkCode);

        await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.PaymentRequired, "insufficient_funds");

        Assert.Equal(0, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
        await LedgerHarness.TopUpAsync(app, s.Advertiser.Email, 100_000);
        await (await GetAsync(app, Query(("click_id", clickId), ("token", s.Token)))).ExpectOkAsync();
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task PostbackLog_RecordsEveryCallWithReasonAndRedactsTheToken()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "nope"), ("token", s.Token)))).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "unknown_goal");
        await (await GetAsync(app, Query(("click_id", clickId), ("security_token", s.Token)))).ExpectOkAsync();
        await app.FlushPostbackLogAsync();

        var log = await (await s.Advertiser.Client.GetAsync("/api/v1/postback-log")).ExpectJsonAsync(HttpStatusCode.OK);
        var items = log.Items().ToList();
        Assert.Equal(2, items.Count);
        var refused = items.Single(i => i.Str("result") == "unknown_goal");
        Assert.Equal(422, refused.GetProperty("httpStatus").GetInt32());
        Assert.Contains("nope", refused.Str("message"));
        Assert.All(items, i => Assert.DoesNotContain(s.Token, i.Str("query")));
        Assert.Contains("token=***", refused.Str("query"));
        var failedOnly = await (await s.Advertiser.Client.GetAsync("/api/v1/postback-log?failed=true")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Single(failedOnly.Items());
        // Nobody else sees it.
        var other = await app.RegisterAsync("advertiser");
        var foreign = await (await other.Client.GetAsync("/api/v1/postback-log")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(foreign.Items());
    }

    [Fact]
    public async Task OfferPostbackUrl_IsTheAdvertisersOwnWithTokenFilledIn()
    {
        var s = await SetupAsync(app);
        var body = await (await s.Advertiser.Client.GetAsync($"/api/v1/offers/{s.OfferId}/postback-url")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains($"token={s.Token}", body.Str("url"));
        Assert.Contains("click_id={click_id}", body.Str("url"));
        Assert.Contains("/postback?", body.Str("url"));
        Assert.Contains(body.GetProperty("goals").EnumerateArray(), g => g.Str("goal") == "sale" && g.Str("url").Contains("amount={amount}"));

        // The URL works once the tracker fills the click id in.
        var url = body.Str("url").Replace("{click_id}", await ClickAsync(app, s.LinkCode)).Replace("&txid={txid}", "").Replace("&status={status}", "");
        await (await GetAsync(app, new Uri(url).Query.TrimStart('?'))).ExpectOkAsync();

        var other = await app.RegisterAsync("advertiser");
        await (await other.Client.GetAsync($"/api/v1/offers/{s.OfferId}/postback-url")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await s.Webmaster.Client.GetAsync($"/api/v1/offers/{s.OfferId}/postback-url")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Conversions_AreVisibleToTheirAdvertiserAndWebmasterOnly_AndAdvertiserCanReject()
    {
        var s = await SetupAsync(app);
        var (id, _, _) = await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();

        var mine = await (await s.Advertiser.Client.GetAsync("/api/v1/conversions")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(mine.Items()).Str("id"));
        var theirs = await (await s.Webmaster.Client.GetAsync("/api/v1/conversions")).ExpectJsonAsync(HttpStatusCode.OK);
        var row = Assert.Single(theirs.Items());
        Assert.Equal(18_000, row.GetProperty("webmasterAmount").GetInt64());
        Assert.Equal(0, row.GetProperty("advertiserAmount").GetInt64()); // the advertiser's price is not the webmaster's business
        var stranger = await app.RegisterAsync("advertiser");
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/conversions")).ExpectJsonAsync(HttpStatusCode.OK)).Items());
        await (await stranger.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "rejected" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        // A webmaster never changes a status: the wrong role, 403 (another advertiser is the right role, but not the owner: 404).
        await (await s.Webmaster.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "approved" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var change = await (await s.Advertiser.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "rejected", note = "test order" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", change.Str("status"));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.Escrow, s.Advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }
}

public sealed class PostbackTests_Sqlite(PostbackSqliteFactory app) : PostbackTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class PostbackTests_PostgreSql(PostbackPostgreSqlFactory app) : PostbackTests(app), IClassFixture<PostbackPostgreSqlFactory>;

/// <summary>Click batches wait 30 s to fill, so only a flush can have written a fresh click.</summary>
public sealed class SlowClickWriterFactory(TestDatabase database) : PostbackFactory(database)
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Tracking:ClickWriter:FlushIntervalMilliseconds", "30000");
    }
}
