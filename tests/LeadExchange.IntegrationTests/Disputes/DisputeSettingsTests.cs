using System.Net;
using System.Text.Json.Nodes;
using LeadExchange.Domain.Leads;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.Disputes.DisputeHarness;

namespace LeadExchange.IntegrationTests.Disputes;

/// <summary>
/// The dispute settings admins set (PUT /api/v1/admin/settings) and the rules they drive: the buyer dispute-rate
/// limit and the seller suspension. Its own app, since these settings are platform-wide; each test puts them back.
/// </summary>
public abstract class DisputeSettingsTests(PostbackFactory app)
{
    private async Task<JsonObject> SettingsAsync(HttpClient admin) =>
        (await (await admin.GetAsync("/api/v1/admin/settings")).ExpectJsonAsync(HttpStatusCode.OK)).ToNode();

    /// <summary>Runs <paramref name="work"/> with some settings changed through the admin API, then restores them.</summary>
    private async Task WithSettingsAsync(JsonObject changes, Func<Task> work)
    {
        var admin = await app.DemoClientAsync("admin");
        var original = await SettingsAsync(admin);
        var changed = original.DeepClone().AsObject();
        foreach (var (name, value) in changes) changed[name] = value?.DeepClone();
        await (await admin.PutJsonAsync("/api/v1/admin/settings", changed)).ExpectStatusAsync(HttpStatusCode.OK);
        try
        {
            await work();
        }
        finally
        {
            await (await admin.PutJsonAsync("/api/v1/admin/settings", original)).ExpectStatusAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task UpdateSettings_DisputeFields_AreShownSavedKeptWhenLeftOutAndValidated()
    {
        var admin = await app.DemoClientAsync("admin");
        var defaults = await SettingsAsync(admin);
        Assert.Equal(48, (int)defaults["disputeSlaHours"]!);
        Assert.Equal(2000, (int)defaults["buyerDisputeRateLimitBp"]!);
        Assert.Equal(10, (int)defaults["buyerDisputeRateMinPurchases"]!);
        Assert.Equal(3000, (int)defaults["sellerSuspendReturnRateBp"]!);
        Assert.Equal(20, (int)defaults["sellerSuspendMinSales"]!);

        await WithSettingsAsync(new JsonObject
        {
            ["disputeSlaHours"] = 24, ["buyerDisputeRateLimitBp"] = 1500, ["buyerDisputeRateMinPurchases"] = 5,
            ["sellerSuspendReturnRateBp"] = 2500, ["sellerSuspendMinSales"] = 40,
        }, async () =>
        {
            var saved = await SettingsAsync(admin);
            Assert.Equal((24, 1500, 5, 2500, 40), ((int)saved["disputeSlaHours"]!, (int)saved["buyerDisputeRateLimitBp"]!,
                (int)saved["buyerDisputeRateMinPurchases"]!, (int)saved["sellerSuspendReturnRateBp"]!, (int)saved["sellerSuspendMinSales"]!));

            // An older client that knows only the money fields does not reset the dispute settings.
            var moneyOnly = new JsonObject
            {
                ["commissionBp"] = saved["commissionBp"]!.DeepClone(), ["topUpMin"] = saved["topUpMin"]!.DeepClone(),
                ["topUpMax"] = saved["topUpMax"]!.DeepClone(), ["payoutMin"] = saved["payoutMin"]!.DeepClone(),
                ["payoutScheduleDays"] = saved["payoutScheduleDays"]!.DeepClone(),
            };
            await (await admin.PutJsonAsync("/api/v1/admin/settings", moneyOnly)).ExpectStatusAsync(HttpStatusCode.OK);
            Assert.Equal(24, (int)(await SettingsAsync(admin))["disputeSlaHours"]!);

            // A dispute opened now is due in the new SLA.
            var purchase = await PurchaseAsync(app);
            var dispute = await OpenAsync(purchase);
            Assert.Equal(DateTime.Parse(dispute.Str("openedAt"), null, System.Globalization.DateTimeStyles.RoundtripKind).AddHours(24),
                DateTime.Parse(dispute.Str("dueAt"), null, System.Globalization.DateTimeStyles.RoundtripKind));

            var invalid = saved.DeepClone().AsObject();
            invalid["disputeSlaHours"] = 0;
            invalid["sellerSuspendReturnRateBp"] = 20_000;
            var errors = await (await admin.PutJsonAsync("/api/v1/admin/settings", invalid)).ExpectValidationErrorsAsync();
            Assert.Contains(errors.Keys, k => k.Equals("disputeSlaHours", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(errors.Keys, k => k.Equals("sellerSuspendReturnRateBp", StringComparison.OrdinalIgnoreCase));
        });

        var moderator = await app.DemoClientAsync("moderator");
        await (await moderator.PutJsonAsync("/api/v1/admin/settings", defaults)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Open_WhenTheBuyerIsOverTheDisputeRateLimit_NeedsEvidenceAndAFullerComment()
    {
        await WithSettingsAsync(new JsonObject { ["buyerDisputeRateMinPurchases"] = 1, ["buyerDisputeRateLimitBp"] = 100 }, async () =>
        {
            var purchase = await PurchaseAsync(app);

            var bare = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "invalid_phone", "No answer.")).ExpectValidationErrorsAsync();
            bare.AssertHasError("evidence");
            bare.AssertHasError("comment");
            Assert.Contains(bare["evidence"], m => m.Contains("limit") && m.Contains("evidence"));
            var shortComment = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "invalid_phone", "No answer.", Evidence("call.png", "image/png", Png)))
                .ExpectValidationErrorsAsync();
            Assert.Equal("comment", Assert.Single(shortComment.Keys));
            Assert.False(await app.WithDbAsync(db => db.Disputes.AnyAsync(d => d.SaleId == purchase.SaleId)));

            var dispute = await OpenAsync(purchase, "invalid_phone", "Called five times over two days; the number is not in service.",
                Evidence("call.png", "image/png", Png));
            Assert.Equal("open", dispute.Str("status"));
            Assert.Single(dispute.GetProperty("evidence").EnumerateArray());
        });
    }

    [Fact]
    public async Task Open_WhenTheBuyerIsUnderTheDisputeRateLimit_NeedsNoEvidence()
    {
        await WithSettingsAsync(new JsonObject { ["buyerDisputeRateMinPurchases"] = 2, ["buyerDisputeRateLimitBp"] = 5000 }, async () =>
        {
            var buyer = await FundedBuyerAsync(app);
            var first = await PurchaseAsync(app, buyer);
            await PurchaseAsync(app, buyer);

            // One dispute of two purchases is 50%: at the limit, not over it.
            var dispute = await OpenAsync(first, "invalid_phone", "No answer.");

            Assert.Equal("open", dispute.Str("status"));
        });
    }

    [Fact]
    public async Task Decide_UpholdOverTheSellersReturnRateThreshold_SuspendsTheSellerFromSubmittingLeads()
    {
        await WithSettingsAsync(new JsonObject { ["sellerSuspendMinSales"] = 2, ["sellerSuspendReturnRateBp"] = 4000 }, async () =>
        {
            var seller = await app.RegisterAsync("webmaster");
            var buyer = await FundedBuyerAsync(app);
            var first = await PurchaseAsync(app, buyer, seller);
            await PurchaseAsync(app, buyer, seller);
            var moderator = await app.DemoClientAsync("moderator");

            var decided = await (await DecideAsync(moderator, (await OpenAsync(first)).Str("id"))).ExpectJsonAsync(HttpStatusCode.OK);

            Assert.Equal("upheld", decided.Str("status"));
            var blocked = await app.WithDbAsync(db => db.Blocklist.AsNoTracking().SingleAsync(b => b.Kind == BlocklistKind.Seller && b.Value == seller.UserId));
            Assert.Contains("return rate", blocked.Reason);
            await (await seller.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body())).ExpectProblemAsync(HttpStatusCode.Forbidden);
            var seen = await (await seller.Client.GetAsync($"/api/v1/disputes/{decided.Str("id")}")).ExpectJsonAsync(HttpStatusCode.OK);
            Assert.True(seen.GetProperty("seller").GetProperty("suspended").GetBoolean());
        });
    }

    [Fact]
    public async Task Decide_UpholdUnderTheSellersMinimumSales_DoesNotSuspend()
    {
        await WithSettingsAsync(new JsonObject { ["sellerSuspendMinSales"] = 3, ["sellerSuspendReturnRateBp"] = 100 }, async () =>
        {
            var seller = await app.RegisterAsync("webmaster");
            var first = await PurchaseAsync(app, seller: seller);
            await PurchaseAsync(app, seller: seller);

            await (await DecideAsync(await app.DemoClientAsync("moderator"), (await OpenAsync(first)).Str("id"))).ExpectStatusAsync(HttpStatusCode.OK);

            Assert.False(await app.WithDbAsync(db => db.Blocklist.AnyAsync(b => b.Kind == BlocklistKind.Seller && b.Value == seller.UserId)));
            await (await seller.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body())).ExpectStatusAsync(HttpStatusCode.Created);
        });
    }
}

public sealed class DisputeSettingsTests_Sqlite(PostbackSqliteFactory app) : DisputeSettingsTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class DisputeSettingsTests_PostgreSql(PostbackPostgreSqlFactory app) : DisputeSettingsTests(app), IClassFixture<PostbackPostgreSqlFactory>;
