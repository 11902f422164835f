using System.Net;
using System.Text.Json;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.Disputes.DisputeHarness;

namespace LeadExchange.IntegrationTests.Disputes;

/// <summary>
/// docs/api.md "Disputes (buyer) and moderation" through the API: reasons and windows, one dispute per sale, automatic
/// decisions, the money (refund from escrow, release after a rejection, clawback and what the seller owes),
/// exactly-once decisions across moderators and nodes, claims, evidence and who sees what.
/// </summary>
public abstract class DisputeTests(PostbackFactory app)
{
    // ---- Reasons ----

    [Theory]
    [InlineData("invalid_phone")]
    [InlineData("wrong_region")]
    [InlineData("duplicate")]
    [InlineData("fake_or_not_interested")]
    [InlineData("wrong_niche")]
    [InlineData("no_consent")]
    [InlineData("other")]
    public async Task Open_WithEachReason_Answers201OpenWithTheReasonAndFreezesTheHold(string reason)
    {
        var purchase = await PurchaseAsync(app);

        var dispute = await OpenAsync(purchase, reason);

        Assert.Equal(reason, dispute.Str("reason"));
        Assert.Equal("open", dispute.Str("status"));
        Assert.False(dispute.GetProperty("autoDecided").GetBoolean());
        Assert.Equal(purchase.SaleId.ToString(), dispute.Str("saleId"));
        Assert.Equal(purchase.Price, dispute.GetProperty("amount").GetInt64());
        Assert.Equal(Comment, dispute.Str("comment"));
        var hold = await HoldAsync(app, purchase.HoldId);
        Assert.Equal(HoldStatus.Held, hold.Status);
        Assert.True(hold.Frozen);
    }

    [Fact]
    public async Task Open_WhenReasonIsOtherWithoutComment_Answers422OnCommentAndStoresNothing()
    {
        var purchase = await PurchaseAsync(app);

        var errors = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "other", "  ")).ExpectValidationErrorsAsync();

        errors.AssertHasError("comment");
        Assert.False(await app.WithDbAsync(db => db.Disputes.AnyAsync(d => d.SaleId == purchase.SaleId)));
        Assert.False((await HoldAsync(app, purchase.HoldId)).Frozen);
    }

    [Theory]
    [InlineData("bad_lead")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Open_WhenReasonIsUnknown_Answers422OnReason(string? reason)
    {
        var purchase = await PurchaseAsync(app);

        var errors = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, reason!)).ExpectValidationErrorsAsync();

        errors.AssertHasError("reason");
        Assert.False(await app.WithDbAsync(db => db.Disputes.AnyAsync(d => d.SaleId == purchase.SaleId)));
    }

    // ---- Windows and once per sale ----

    [Fact]
    public async Task Open_AtExactlyDisputeUntil_Answers201()
    {
        var purchase = await PurchaseAsync(app);

        await FrozenAtAsync(app, purchase.DisputeUntil, async () =>
        {
            var dispute = await OpenAsync(purchase);
            Assert.Equal("open", dispute.Str("status"));
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TimeSpan.TicksPerSecond)]
    public async Task Open_AfterDisputeUntil_Answers409WindowClosed(long ticksLate)
    {
        var purchase = await PurchaseAsync(app);

        await FrozenAtAsync(app, purchase.DisputeUntil.AddTicks(ticksLate), async () =>
            Assert.Equal("window_closed", await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId)).ExpectConflictAsync()));

        Assert.False(await app.WithDbAsync(db => db.Disputes.AnyAsync(d => d.SaleId == purchase.SaleId)));
    }

    [Fact]
    public async Task Open_SecondTimeOnTheSameSale_Answers409AlreadyDisputed()
    {
        var purchase = await PurchaseAsync(app);
        await OpenAsync(purchase);

        Assert.Equal("already_disputed", await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "no_consent")).ExpectConflictAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Disputes.CountAsync(d => d.SaleId == purchase.SaleId)));
    }

    [Fact]
    public async Task Open_SixInParallelOnTheSameSale_ExactlyOneAnswers201AndTheRest409()
    {
        var purchase = await PurchaseAsync(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DisputeAsync(purchase.Buyer.Client, purchase.SaleId)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("already_disputed", await response.ExpectConflictAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Disputes.CountAsync(d => d.SaleId == purchase.SaleId)));
    }

    [Fact]
    public async Task Open_ForAnotherBuyersPurchase_Answers404()
    {
        var purchase = await PurchaseAsync(app);
        var stranger = await FundedBuyerAsync(app);

        await (await DisputeAsync(stranger.Client, purchase.SaleId)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await DisputeAsync(purchase.Seller.Client, purchase.SaleId)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    // ---- Automatic decisions ----

    [Fact]
    public async Task Open_DuplicateOfAPersonTheBuyerBoughtBefore_IsUpheldAtOnceAndRefunded()
    {
        var first = await PurchaseAsync(app);
        // The niche's dedup window (60 days) passes: the same person may be sold again, and this buyer buys them again.
        app.Clock.Advance(TimeSpan.FromDays(61));
        var before = await BalanceAsync(first.Buyer.Client);
        var again = await PurchaseAsync(app, first.Buyer, phone: first.Phone);
        Assert.Equal(before.Available - again.Price, (await BalanceAsync(first.Buyer.Client)).Available);

        var dispute = await OpenAsync(again, "duplicate");

        Assert.Equal("upheld", dispute.Str("status"));
        Assert.True(dispute.GetProperty("autoDecided").GetBoolean());
        Assert.Contains("already bought", dispute.Str("decisionNote"));
        Assert.Equal(again.Price, dispute.GetProperty("refundedFromEscrow").GetInt64());
        Assert.Equal(before.Available, (await BalanceAsync(first.Buyer.Client)).Available);
        Assert.Equal(HoldStatus.Refunded, (await HoldAsync(app, again.HoldId)).Status);
    }

    [Fact]
    public async Task Open_DuplicateOfAPersonStillOnTheExchangeInTheWindow_IsUpheldAtOnce()
    {
        var firstSeller = await app.RegisterAsync("webmaster");
        var phone = LeadIntakeTests.NextPhone();
        var (earlier, _) = await SubmitLeadAsync(firstSeller, phone);
        // The dedup key lapsed early (as when an admin shortens the window): the same person gets in again.
        await app.WithDbAsync(db => db.LeadDedupKeys.Where(k => k.LeadId == earlier)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, app.Clock.UtcNow.AddSeconds(-1))));
        var purchase = await PurchaseAsync(app, phone: phone);
        var before = await BalanceAsync(purchase.Buyer.Client);

        var dispute = await OpenAsync(purchase, "duplicate");

        Assert.Equal("upheld", dispute.Str("status"));
        Assert.True(dispute.GetProperty("autoDecided").GetBoolean());
        Assert.Equal(before.Available + purchase.Price, (await BalanceAsync(purchase.Buyer.Client)).Available);
        Assert.Equal(0, (await BalanceAsync(purchase.Buyer.Client)).Held);
    }

    [Fact]
    public async Task Open_DuplicateThePlatformCannotProve_StaysOpenForAModerator()
    {
        var purchase = await PurchaseAsync(app);

        var dispute = await OpenAsync(purchase, "duplicate");

        Assert.Equal("open", dispute.Str("status"));
        Assert.False(dispute.GetProperty("autoDecided").GetBoolean());
        Assert.Equal(purchase.Price, (await BalanceAsync(purchase.Buyer.Client)).Held);
    }

    [Fact]
    public async Task Open_WrongRegionForALeadOutsideTheTermsTheOrderBoughtUnder_IsUpheldAtOnce()
    {
        var (purchase, orderId) = await BuyThroughOrderAsync();
        // The order's terms as they were at the sale do not cover the lead (a distribution fault): set behind the API's back,
        // so the order does not count as edited after the sale.
        await app.WithDbAsync(db => db.LeadOrders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.RegionCodes, "RU-SPE")));
        var before = await BalanceAsync(purchase.Buyer.Client);

        var dispute = await OpenAsync(purchase, "wrong_region");

        Assert.Equal("upheld", dispute.Str("status"));
        Assert.True(dispute.GetProperty("autoDecided").GetBoolean());
        Assert.Contains("RU-MOW", dispute.Str("decisionNote"));
        Assert.Equal(before.Available + purchase.Price, (await BalanceAsync(purchase.Buyer.Client)).Available);
    }

    [Fact]
    public async Task Open_WrongRegionAfterTheBuyerEditedTheOrdersRegions_StaysOpenForAModerator()
    {
        var (purchase, orderId) = await BuyThroughOrderAsync();
        // Editing the order after the sale must not turn any lead into a provable "wrong region".
        await (await purchase.Buyer.Client.PutJsonAsync($"/api/v1/lead-orders/{orderId}", OrderBody(["RU-SPE"], active: false)))
            .ExpectStatusAsync(HttpStatusCode.OK);

        var dispute = await OpenAsync(purchase, "wrong_region");

        Assert.Equal("open", dispute.Str("status"));
        Assert.False(dispute.GetProperty("autoDecided").GetBoolean());
    }

    [Fact]
    public async Task Open_WrongRegionForALeadInTheOrdersRegion_StaysOpen()
    {
        var (purchase, _) = await BuyThroughOrderAsync();

        var dispute = await OpenAsync(purchase, "wrong_region");

        Assert.Equal("open", dispute.Str("status"));
    }

    private static object OrderBody(string[] regions, bool active) => new
    {
        name = $"Moscow flats {TestServices.ShortId()}", niche = "real-estate", regions, maxPrice = 100_000_000L, minTemperature = "cold",
        exclusive = true, active,
    };

    /// <summary>A lead sold on intake to a Moscow order; the order is paused (behind the API, so its terms stay as bought) so it buys nothing else.</summary>
    private async Task<(Purchase Purchase, Guid OrderId)> BuyThroughOrderAsync()
    {
        var buyer = await FundedBuyerAsync(app);
        var seller = await app.RegisterAsync("webmaster");
        var order = await (await buyer.Client.PostJsonAsync("/api/v1/lead-orders", OrderBody(["RU-MOW"], active: true))).ExpectJsonAsync(HttpStatusCode.Created);
        var orderId = Guid.Parse(order.Str("id"));
        try
        {
            var phone = LeadIntakeTests.NextPhone();
            var (leadId, answer) = await SubmitLeadAsync(seller, phone);
            Assert.Equal("sold", answer.Str("status"));
            var saleId = await app.WithDbAsync(db => db.LeadSales.Where(s => s.LeadId == leadId && s.OrderId == orderId).Select(s => s.Id).SingleAsync());
            return (await PurchaseOfAsync(app, buyer, seller, saleId, phone), orderId);
        }
        finally
        {
            await app.WithDbAsync(db => db.LeadOrders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, LeadOrderStatus.Paused)));
        }
    }

    // ---- Money ----

    [Fact]
    public async Task Decide_UpholdWhileInEscrow_RefundsTheBuyerEmptiesEscrowAndEveryEntryBalances()
    {
        var buyer = await FundedBuyerAsync(app);
        var before = await BalanceAsync(buyer.Client);
        var purchase = await PurchaseAsync(app, buyer);
        Assert.Equal((before.Available - purchase.Price, purchase.Price), ((await BalanceAsync(buyer.Client)).Available, (await BalanceAsync(buyer.Client)).Held));
        var dispute = await OpenAsync(purchase);
        var moderator = await app.DemoClientAsync("moderator");

        var decided = await (await DecideAsync(moderator, dispute.Str("id"))).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal("upheld", decided.Str("status"));
        Assert.Equal(Note, decided.Str("decisionNote"));
        Assert.False(string.IsNullOrEmpty(decided.Str("decidedBy")));
        Assert.Equal(purchase.Price, decided.GetProperty("refundedFromEscrow").GetInt64());
        var after = await BalanceAsync(buyer.Client);
        Assert.Equal((before.Available, 0L), (after.Available, after.Held));
        Assert.Equal(HoldStatus.Refunded, (await HoldAsync(app, purchase.HoldId)).Status);
        Assert.Equal(1, await EntriesAsync(app, JournalEntryType.Refund, $"hold:{purchase.HoldId:N}"));
        Assert.Equal(0, (await BalanceAsync(purchase.Seller.Client)).Available);
        await AssertBalancedAsync(app, buyer.UserId, purchase.Seller.UserId);
    }

    [Fact]
    public async Task Decide_Reject_UnfreezesTheHoldAndTheReleaseJobPaysTheSellerAfterTheWindow()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase);
        var moderator = await app.DemoClientAsync("moderator");

        var decided = await (await DecideAsync(moderator, dispute.Str("id"), "reject")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal("rejected", decided.Str("status"));
        var hold = await HoldAsync(app, purchase.HoldId);
        Assert.Equal((HoldStatus.Held, false), (hold.Status, hold.Frozen));
        app.Clock.Advance(purchase.DisputeUntil - app.Clock.UtcNow + TimeSpan.FromMinutes(1));
        await ReleaseDueHoldsAsync(app);
        hold = await HoldAsync(app, purchase.HoldId);
        Assert.Equal(HoldStatus.Released, hold.Status);
        Assert.True(hold.PlatformShare > 0);
        Assert.Equal(purchase.Price - hold.PlatformShare, hold.WebmasterShare);
        Assert.Equal(hold.WebmasterShare, (await BalanceAsync(purchase.Seller.Client)).Available);
        Assert.Equal(0, (await BalanceAsync(purchase.Buyer.Client)).Held);
        await AssertBalancedAsync(app, purchase.Buyer.UserId, purchase.Seller.UserId);
    }

    [Fact]
    public async Task ReleaseJob_WhileADisputeIsOpenPastTheWindow_LeavesTheHoldInEscrow()
    {
        var purchase = await PurchaseAsync(app);
        await OpenAsync(purchase);

        app.Clock.Advance(purchase.DisputeUntil - app.Clock.UtcNow + TimeSpan.FromHours(1));
        await ReleaseDueHoldsAsync(app);

        var hold = await HoldAsync(app, purchase.HoldId);
        Assert.Equal((HoldStatus.Held, true), (hold.Status, hold.Frozen));
        Assert.Equal(0, await EntriesAsync(app, JournalEntryType.Release, $"hold:{purchase.HoldId:N}"));
        Assert.Equal(0, (await BalanceAsync(purchase.Seller.Client)).Available);
        Assert.Equal(purchase.Price, (await BalanceAsync(purchase.Buyer.Client)).Held);
    }

    /// <summary>The release job ran at the window's last instant, and the buyer disputed at that same instant: the money has left escrow.</summary>
    private async Task<(Purchase Purchase, JsonElement Dispute, EscrowHold Hold)> DisputedAfterReleaseAsync()
    {
        var purchase = await PurchaseAsync(app);
        JsonElement dispute = default;
        await FrozenAtAsync(app, purchase.DisputeUntil, async () =>
        {
            await ReleaseDueHoldsAsync(app);
            Assert.Equal(HoldStatus.Released, (await HoldAsync(app, purchase.HoldId)).Status);
            dispute = await OpenAsync(purchase);
        });
        Assert.Equal("open", dispute.Str("status"));
        return (purchase, dispute, await HoldAsync(app, purchase.HoldId));
    }

    [Fact]
    public async Task Decide_UpholdAfterRelease_ClawsBackFromTheSellersAvailableAndTheCommission()
    {
        var (purchase, dispute, hold) = await DisputedAfterReleaseAsync();
        var buyerBefore = await BalanceAsync(purchase.Buyer.Client);
        Assert.Equal(hold.WebmasterShare, (await BalanceAsync(purchase.Seller.Client)).Available);

        var decided = await (await DecideAsync(await app.DemoClientAsync("moderator"), dispute.Str("id"))).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal("upheld", decided.Str("status"));
        Assert.Equal(hold.WebmasterShare, decided.GetProperty("clawedBack").GetInt64());
        Assert.Equal(0, decided.GetProperty("chargedToReceivable").GetInt64());
        Assert.Equal(hold.PlatformShare, decided.GetProperty("commissionReturned").GetInt64());
        Assert.Equal(0, decided.GetProperty("refundedFromEscrow").GetInt64());
        Assert.Equal(buyerBefore.Available + purchase.Price, (await BalanceAsync(purchase.Buyer.Client)).Available);
        var seller = await BalanceAsync(purchase.Seller.Client);
        Assert.Equal((0L, 0L), (seller.Available, seller.Owed));
        Assert.Equal(1, await EntriesAsync(app, JournalEntryType.Clawback, $"dispute:{Guid.Parse(dispute.Str("id")):N}"));
        await AssertBalancedAsync(app, purchase.Buyer.UserId, purchase.Seller.UserId);
    }

    [Fact]
    public async Task Decide_UpholdAfterTheSellerWasPaidOut_BooksTheShortfallAsOwedAndTheNextReleaseRepaysItFirst()
    {
        var (purchase, dispute, hold) = await DisputedAfterReleaseAsync();
        // The seller takes the money out before the moderator gets to the case.
        await (await purchase.Seller.Client.PostJsonAsync("/api/v1/payouts", new { amount = hold.WebmasterShare, currency = "RUB" }))
            .ExpectStatusAsync(HttpStatusCode.Created);
        Assert.Equal(0, (await BalanceAsync(purchase.Seller.Client)).Available);

        var decided = await (await DecideAsync(await app.DemoClientAsync("moderator"), dispute.Str("id"))).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, decided.GetProperty("clawedBack").GetInt64());
        Assert.Equal(hold.WebmasterShare, decided.GetProperty("chargedToReceivable").GetInt64());
        var owing = await BalanceAsync(purchase.Seller.Client);
        Assert.Equal((0L, hold.WebmasterShare), (owing.Available, owing.Owed));
        await AssertBalancedAsync(app, purchase.Buyer.UserId, purchase.Seller.UserId);

        // The seller's next sale is released: what they owe comes off it first.
        var next = await PurchaseAsync(app, seller: purchase.Seller);
        app.Clock.Advance(next.DisputeUntil - app.Clock.UtcNow + TimeSpan.FromMinutes(1));
        await ReleaseDueHoldsAsync(app);
        var nextHold = await HoldAsync(app, next.HoldId);
        Assert.Equal(HoldStatus.Released, nextHold.Status);
        var repaid = Math.Min(hold.WebmasterShare, nextHold.WebmasterShare);
        var after = await BalanceAsync(purchase.Seller.Client);
        Assert.Equal((nextHold.WebmasterShare - repaid, hold.WebmasterShare - repaid), (after.Available, after.Owed));
        await AssertBalancedAsync(app, purchase.Buyer.UserId, purchase.Seller.UserId, next.Buyer.UserId);
    }

    // ---- Exactly-once decisions ----

    [Fact]
    public async Task Decide_TwoModeratorsAtTheSameTime_ExactlyOneWinsAndTheBuyerIsRefundedOnce()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase);
        var first = await app.DemoClientAsync("moderator");
        var second = (await ModeratorAsync(app)).Client;

        var responses = await Task.WhenAll(DecideAsync(first, dispute.Str("id")), DecideAsync(second, dispute.Str("id")));

        await AssertOneDecisionAsync(purchase, responses);
    }

    [Fact]
    public async Task Decide_OnTwoAppInstancesAtTheSameTime_ExactlyOneWins()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase);
        var second = await ModeratorAsync(app);
        await using var node2 = app.SecondNode();
        await node2.InitializeAsync();
        var onNode2 = node2.CreateClientWithKey(second.ApiKey);

        var responses = await Task.WhenAll(DecideAsync(await app.DemoClientAsync("moderator"), dispute.Str("id")), DecideAsync(onNode2, dispute.Str("id")));

        await AssertOneDecisionAsync(purchase, responses);
    }

    private async Task AssertOneDecisionAsync(Purchase purchase, HttpResponseMessage[] responses)
    {
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal("already_decided", await responses.Single(r => r.StatusCode != HttpStatusCode.OK).ExpectConflictAsync());
        Assert.Equal(1, await EntriesAsync(app, JournalEntryType.Refund, $"hold:{purchase.HoldId:N}"));
        Assert.Equal(0, (await BalanceAsync(purchase.Buyer.Client)).Held);
        Assert.Equal(TopUp, (await BalanceAsync(purchase.Buyer.Client)).Available);
        await AssertBalancedAsync(app, purchase.Buyer.UserId);
    }

    [Fact]
    public async Task Decide_WhenDecidedAlready_Answers409AlreadyDecided()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase);
        var moderator = await app.DemoClientAsync("moderator");
        await (await DecideAsync(moderator, dispute.Str("id"), "reject")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Equal("already_decided", await (await DecideAsync(moderator, dispute.Str("id"))).ExpectConflictAsync());
        Assert.Equal(0, await EntriesAsync(app, JournalEntryType.Refund, $"hold:{purchase.HoldId:N}"));
    }

    [Fact]
    public async Task Decide_WithoutNoteOrWithUnknownDecision_Answers422()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase);
        var moderator = await app.DemoClientAsync("moderator");

        (await (await DecideAsync(moderator, dispute.Str("id"), "uphold", " ")).ExpectValidationErrorsAsync()).AssertHasError("note");
        (await (await DecideAsync(moderator, dispute.Str("id"), "refund")).ExpectValidationErrorsAsync()).AssertHasError("decision");
        Assert.Equal(DisputeStatus.Open, await app.WithDbAsync(db => db.Disputes.Where(d => d.SaleId == purchase.SaleId).Select(d => d.Status).SingleAsync()));
    }

    // ---- Claims ----

    [Fact]
    public async Task Decide_WhenAnotherModeratorClaimed_Answers409ClaimedUntilTheClaimIsReleased()
    {
        var purchase = await PurchaseAsync(app);
        var id = (await OpenAsync(purchase)).Str("id");
        var first = await app.DemoClientAsync("moderator");
        var second = await ModeratorAsync(app);
        var claim = await (await first.PostAsync($"/api/v1/disputes/{id}/claim", null)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.NotNull(claim.Str("claimedBy"));

        Assert.Equal("claimed", await (await DecideAsync(second.Client, id)).ExpectConflictAsync());
        Assert.Equal("claimed", await (await second.Client.PostAsync($"/api/v1/disputes/{id}/claim", null)).ExpectConflictAsync());

        var released = await (await first.DeleteAsync($"/api/v1/disputes/{id}/claim")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Null(released.Str("claimedBy"));
        var decided = await (await DecideAsync(second.Client, id)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(second.UserId, decided.Str("decidedBy"));
    }

    [Fact]
    public async Task Decide_WhenTheClaimIsOlderThan30Minutes_AnotherModeratorDecides()
    {
        var purchase = await PurchaseAsync(app);
        var id = (await OpenAsync(purchase)).Str("id");
        var first = await app.DemoClientAsync("moderator");
        var second = await ModeratorAsync(app);
        await (await first.PostAsync($"/api/v1/disputes/{id}/claim", null)).ExpectStatusAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("claimed", await (await DecideAsync(second.Client, id)).ExpectConflictAsync());

        app.Clock.Advance(TimeSpan.FromMinutes(2));

        var decided = await (await DecideAsync(second.Client, id, "reject")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("rejected", second.UserId), (decided.Str("status"), decided.Str("decidedBy")));
    }

    // ---- Evidence ----

    public static TheoryData<string, string, byte[]> WrongFiles => new()
    {
        { "photo.png", "image/png", "<html><script>alert(1)</script></html>"u8.ToArray() },
        { "photo.png", "image/png", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] },
        { "tool.exe", "application/x-msdownload", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] },
        { "page.html", "text/html", "<html></html>"u8.ToArray() },
        { "empty.png", "image/png", [] },
    };

    [Theory]
    [MemberData(nameof(WrongFiles))]
    public async Task Open_WithEvidenceOfAWrongType_Answers422OnEvidenceAndStoresNothing(string fileName, string contentType, byte[] content)
    {
        var purchase = await PurchaseAsync(app);

        var errors = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "invalid_phone", Comment, Evidence(fileName, contentType, content)))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("evidence");
        Assert.False(await app.WithDbAsync(db => db.Disputes.AnyAsync(d => d.SaleId == purchase.SaleId)));
    }

    [Fact]
    public async Task Open_WithEvidenceOver2MB_Answers422OnEvidence()
    {
        var purchase = await PurchaseAsync(app);
        var big = new byte[DisputeEvidence.MaxBytes + 1];
        Png.CopyTo(big, 0);

        var errors = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "invalid_phone", Comment, Evidence("big.png", "image/png", big)))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("evidence");
        Assert.Contains(errors["evidence"], m => m.Contains("2 MB"));
    }

    [Fact]
    public async Task Evidence_DownloadedByTheBuyerAndAModerator_IsAnAttachmentWithNosniff_OthersGet404()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase, "invalid_phone", Comment, Evidence("call <log>.png", "image/png", Png), Evidence("notes.txt", "text/plain", "no answer x3"u8.ToArray()));
        var evidence = dispute.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Equal(2, evidence.Count);
        var png = evidence.Single(e => e.Str("contentType") == "image/png");
        Assert.Equal(Png.Length, png.GetProperty("size").GetInt32());
        var url = $"/api/v1/disputes/{dispute.Str("id")}/evidence/{png.Str("id")}";

        foreach (var client in new[] { purchase.Buyer.Client, await app.DemoClientAsync("moderator") })
        {
            using var response = await client.GetAsync(url);
            await response.ExpectStatusAsync(HttpStatusCode.OK);
            Assert.Equal(Png, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.False(string.IsNullOrEmpty(response.Content.Headers.ContentDisposition?.FileName ?? response.Content.Headers.ContentDisposition?.FileNameStar));
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        }
        var stranger = await FundedBuyerAsync(app);
        await (await stranger.Client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await purchase.Seller.Client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await purchase.Buyer.Client.GetAsync($"/api/v1/disputes/{dispute.Str("id")}/evidence/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Who sees and decides what ----

    [Fact]
    public async Task List_AsTheSeller_ShowsTheDisputeWithoutTheBuyerOrEvidence()
    {
        var purchase = await PurchaseAsync(app);
        var id = (await OpenAsync(purchase, "fake_or_not_interested", Comment, Evidence("call.png", "image/png", Png))).Str("id");

        var list = await (await purchase.Seller.Client.GetAsync("/api/v1/disputes")).ExpectJsonAsync(HttpStatusCode.OK);

        var item = Assert.Single(list.Items());
        Assert.Equal(id, item.Str("id"));
        Assert.Equal("fake_or_not_interested", item.Str("reason"));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("buyerId").ValueKind);
        Assert.Empty(item.GetProperty("evidence").EnumerateArray());
        var seen = await (await purchase.Seller.Client.GetAsync($"/api/v1/disputes/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("dispute").GetProperty("buyerId").ValueKind);
        Assert.Empty(seen.GetProperty("dispute").GetProperty("evidence").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("buyer").ValueKind);
        Assert.DoesNotContain(purchase.Buyer.UserId, seen.GetRawText());
        // The buyer sees their own case in full.
        var own = await (await purchase.Buyer.Client.GetAsync($"/api/v1/disputes/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(purchase.Buyer.UserId, own.GetProperty("dispute").Str("buyerId"));
        Assert.Single(own.GetProperty("dispute").GetProperty("evidence").EnumerateArray());
    }

    [Fact]
    public async Task Get_AsAnotherBuyerOrSeller_Answers404AndTheirListsAreEmpty()
    {
        var purchase = await PurchaseAsync(app);
        var id = (await OpenAsync(purchase)).Str("id");
        var otherBuyer = await FundedBuyerAsync(app);
        var otherSeller = await app.RegisterAsync("webmaster");

        await (await otherBuyer.Client.GetAsync($"/api/v1/disputes/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherSeller.Client.GetAsync($"/api/v1/disputes/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await otherBuyer.Client.GetAsync("/api/v1/disputes")).ExpectJsonAsync(HttpStatusCode.OK)).Items());
        Assert.Empty((await (await otherSeller.Client.GetAsync("/api/v1/disputes")).ExpectJsonAsync(HttpStatusCode.OK)).Items());
    }

    [Fact]
    public async Task Decide_AsTheSellerOrAnAdvertiser_Answers403AndTheDisputeStaysOpen()
    {
        var purchase = await PurchaseAsync(app);
        var id = (await OpenAsync(purchase)).Str("id");

        await (await DecideAsync(purchase.Seller.Client, id)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await DecideAsync(purchase.Buyer.Client, id)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await purchase.Buyer.Client.PostAsync($"/api/v1/disputes/{id}/claim", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(DisputeStatus.Open, await app.WithDbAsync(db => db.Disputes.Where(d => d.SaleId == purchase.SaleId).Select(d => d.Status).SingleAsync()));
        Assert.Equal(purchase.Price, (await BalanceAsync(purchase.Buyer.Client)).Held);
    }

    [Fact]
    public async Task List_AsAModerator_ShowsOpenDisputesOldestFirstWithTheBuyer()
    {
        var first = await PurchaseAsync(app);
        var firstId = (await OpenAsync(first)).Str("id");
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await PurchaseAsync(app);
        var secondId = (await OpenAsync(second)).Str("id");
        var moderator = await app.DemoClientAsync("moderator");

        var queue = await (await moderator.GetAsync("/api/v1/disputes?status=open&pageSize=100")).ExpectJsonAsync(HttpStatusCode.OK);

        var ids = queue.Items().Select(i => i.Str("id")).ToList();
        Assert.True(ids.IndexOf(firstId) >= 0 && ids.IndexOf(firstId) < ids.IndexOf(secondId), string.Join(",", ids));
        Assert.Equal(first.Buyer.UserId, queue.Items().Single(i => i.Str("id") == firstId).Str("buyerId"));
        Assert.All(queue.Items(), i => Assert.Equal("open", i.Str("status")));
    }
}

public sealed class DisputeTests_Sqlite(PostbackSqliteFactory app) : DisputeTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class DisputeTests_PostgreSql(PostbackPostgreSqlFactory app) : DisputeTests(app), IClassFixture<PostbackPostgreSqlFactory>;
