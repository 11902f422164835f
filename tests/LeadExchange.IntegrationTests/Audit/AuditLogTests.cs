using System.Net;
using System.Text.Json;
using LeadExchange.Application.Audit;
using LeadExchange.Domain.Audit;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Audit;

/// <summary>
/// Issue "Trust", audit log: every privileged or money-moving action leaves exactly one entry (actor, target, before and after)
/// committed with the action; a refused action leaves none; only admins read the log, and nothing edits or deletes it.
/// </summary>
public abstract class AuditLogTests(Conversions.PostbackFactory app)
{
    private const string AdminEmail = "admin@demo.test";

    private Task<string> AdminIdAsync() =>
        app.WithDbAsync(db => db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync());

    private Task<List<AuditEntry>> EntriesAsync(string action, string targetId) =>
        app.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(e => e.Action == action && e.TargetId == targetId).ToListAsync());

    private static JsonElement Json(string? json) => JsonDocument.Parse(json!).RootElement;

    [Fact]
    public async Task ManualTopUp_WhenCredited_RecordsOneEntryWithTheAdminAndTheAmount()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();

        await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = 12_345, currency = "RUB", note = "wire" }))
            .ExpectStatusAsync(HttpStatusCode.Created);

        var entry = Assert.Single(await EntriesAsync(AuditActions.ManualTopUp, advertiser.UserId));
        Assert.Equal(await AdminIdAsync(), entry.ActorId);
        Assert.Equal(AdminEmail, entry.ActorEmail);
        Assert.Equal(AuditTargets.User, entry.TargetType);
        Assert.Null(entry.Before);
        Assert.Equal(12_345, Json(entry.After).GetProperty("amount").GetInt64());
        Assert.Equal("RUB", Json(entry.After).GetProperty("currency").GetString());
        Assert.True((app.Clock.UtcNow - entry.At).Duration() < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task ManualTopUp_WhenRefused_RecordsNothing()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();

        (await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = -5, currency = "RUB" }))
            .ExpectValidationErrorsAsync()).AssertHasError("amount");

        Assert.Empty(await EntriesAsync(AuditActions.ManualTopUp, advertiser.UserId));
    }

    [Fact]
    public async Task ManualAdjustment_WhenPosted_RecordsOneEntryWithTheReason()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();
        await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = 10_000, currency = "RUB" }))
            .ExpectStatusAsync(HttpStatusCode.Created);

        await (await admin.PostJsonAsync("/api/v1/admin/manual-adjustments", new { userId = advertiser.UserId, amount = 4_000, currency = "RUB", reason = "credited twice" }))
            .ExpectStatusAsync(HttpStatusCode.Created);

        var entry = Assert.Single(await EntriesAsync(AuditActions.ManualAdjustment, advertiser.UserId));
        Assert.Equal(await AdminIdAsync(), entry.ActorId);
        Assert.Equal(4_000, Json(entry.After).GetProperty("amount").GetInt64());
        Assert.Equal("credited twice", Json(entry.After).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ManualAdjustment_WhenItWouldGoBelowZero_RecordsNothing()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();

        await (await admin.PostJsonAsync("/api/v1/admin/manual-adjustments", new { userId = advertiser.UserId, amount = 4_000, currency = "RUB", reason = "oops" }))
            .ExpectStatusAsync(HttpStatusCode.Conflict);

        Assert.Empty(await EntriesAsync(AuditActions.ManualAdjustment, advertiser.UserId));
    }

    [Fact]
    public async Task NicheEdits_WhenCreatedAndChanged_RecordOneEntryEach_WithOnlyTheChangedFields_AndARefusalNone()
    {
        using var admin = await app.AdminClientAsync();
        var code = await Pricing.PricingApi.CreateNicheAsync(admin);
        var created = Assert.Single(await EntriesAsync(AuditActions.NicheCreated, code));
        Assert.Equal(await AdminIdAsync(), created.ActorId);
        Assert.Null(created.Before);
        Assert.Equal(30, Json(created.After).GetProperty("dedupWindowDays").GetInt32());

        var niche = System.Text.Json.Nodes.JsonNode.Parse(await (await admin.GetAsync($"/api/v1/niches/{code}")).ExpectStatusAsync(HttpStatusCode.OK))!.AsObject();
        niche["dedupWindowDays"] = 90;
        await (await admin.PutJsonAsync($"/api/v1/admin/niches/{code}", niche)).ExpectJsonAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"/api/v1/admin/niches/{code}", niche)).ExpectJsonAsync(HttpStatusCode.OK); // no change: no entry
        niche["warmThreshold"] = 95; // above the hot threshold: refused
        (await (await admin.PutJsonAsync($"/api/v1/admin/niches/{code}", niche)).ExpectValidationErrorsAsync()).AssertHasError("warmThreshold");

        var updated = Assert.Single(await EntriesAsync(AuditActions.NicheUpdated, code));
        Assert.Equal(30, Json(updated.Before).GetProperty("dedupWindowDays").GetInt32());
        Assert.Equal(90, Json(updated.After).GetProperty("dedupWindowDays").GetInt32());
        Assert.False(Json(updated.After).TryGetProperty("name", out _), "Only the changed fields are recorded.");
    }

    [Fact]
    public async Task PricingEdits_WhenPricesAndAGeoFactorChange_RecordOneEntryEach()
    {
        using var admin = await app.AdminClientAsync();
        var niche = await Pricing.PricingApi.CreateNicheAsync(admin);

        await (await admin.PutJsonAsync($"/api/v1/admin/pricing/niches/{niche}/prices",
            new { basePrice = 1_000_00, floorPrice = 200_00, ceilingPrice = 2_000_00 })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"/api/v1/admin/pricing/geo/RU-MOW", new { niche, factor = 2.5m })).ExpectStatusAsync(HttpStatusCode.OK);

        var prices = Assert.Single(await EntriesAsync(AuditActions.PricingChanged, $"{niche}/prices"));
        Assert.Equal(await AdminIdAsync(), prices.ActorId);
        Assert.Equal(1_000_00, Json(prices.After).GetProperty("basePrice").GetInt64());
        var geo = Assert.Single(await EntriesAsync(AuditActions.PricingChanged, $"{niche}/RU-MOW"));
        Assert.Null(geo.Before);
        Assert.Equal(2.5m, Json(geo.After).GetProperty("factor").GetDecimal());
    }

    [Fact]
    public async Task UpdateSettings_WhenAValueChanges_RecordsOneEntryWithOnlyTheChangedFields()
    {
        var admin = await app.AdminClientAsync();
        var current = await (await admin.GetAsync("/api/v1/admin/settings")).ExpectJsonAsync(HttpStatusCode.OK);
        var commission = current.GetProperty("commissionBp").GetInt32();
        var changed = commission == 2500 ? 2400 : 2500;
        var target = Domain.Payments.PlatformSettings.SingletonId.ToString();
        var before = (await EntriesAsync(AuditActions.PlatformSettingsUpdated, target)).Count;

        // A refused update records nothing.
        (await (await admin.PutJsonAsync("/api/v1/admin/settings", new
            {
                commissionBp = changed, topUpMin = current.GetProperty("topUpMin").GetInt64(), topUpMax = long.MaxValue,
                payoutMin = current.GetProperty("payoutMin").GetInt64(), payoutScheduleDays = current.GetProperty("payoutScheduleDays").GetInt32(),
            }))
            .ExpectValidationErrorsAsync()).AssertHasError("topUpMax");
        Assert.Equal(before, (await EntriesAsync(AuditActions.PlatformSettingsUpdated, target)).Count);

        await (await admin.PutJsonAsync("/api/v1/admin/settings", new
            {
                commissionBp = changed, topUpMin = current.GetProperty("topUpMin").GetInt64(), topUpMax = current.GetProperty("topUpMax").GetInt64(),
                payoutMin = current.GetProperty("payoutMin").GetInt64(), payoutScheduleDays = current.GetProperty("payoutScheduleDays").GetInt32(),
            }))
            .ExpectStatusAsync(HttpStatusCode.OK);

        var entries = await EntriesAsync(AuditActions.PlatformSettingsUpdated, target);
        Assert.Equal(before + 1, entries.Count);
        var entry = entries.OrderByDescending(e => e.At).First();
        Assert.Equal(await AdminIdAsync(), entry.ActorId);
        Assert.Equal(commission, Json(entry.Before).GetProperty("commissionBp").GetInt32());
        Assert.Equal(changed, Json(entry.After).GetProperty("commissionBp").GetInt32());
        Assert.False(Json(entry.After).TryGetProperty("topUpMax", out _));
    }

    [Fact]
    public async Task SetRole_WhenGrantedAndRevoked_RecordsOneEntryEach()
    {
        var user = await app.RegisterAsync("webmaster");
        var admin = await app.AdminClientAsync();

        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "moderator", granted = true }))
            .ExpectStatusAsync(HttpStatusCode.NoContent);
        // Granting a role the user already has changes nothing, so records nothing.
        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "moderator", granted = true }))
            .ExpectStatusAsync(HttpStatusCode.NoContent);
        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "moderator", granted = false }))
            .ExpectStatusAsync(HttpStatusCode.NoContent);
        // A refused grant records nothing.
        (await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "root", granted = true }))
            .ExpectValidationErrorsAsync()).AssertHasError("role");

        var granted = Assert.Single(await EntriesAsync(AuditActions.RoleGranted, user.UserId));
        Assert.False(Json(granted.Before).GetProperty("granted").GetBoolean());
        Assert.True(Json(granted.After).GetProperty("granted").GetBoolean());
        Assert.Equal("Moderator", Json(granted.After).GetProperty("role").GetString());
        var revoked = Assert.Single(await EntriesAsync(AuditActions.RoleRevoked, user.UserId));
        Assert.False(Json(revoked.After).GetProperty("granted").GetBoolean());
    }

    [Fact]
    public async Task SettlePayout_WhenMarkedPaid_RecordsOneEntryAndTheRepeatNone()
    {
        var webmaster = await Ledger.LedgerHarness.WebmasterWithEarningsAsync(app, 100_000);
        var created = await (await webmaster.Client.PostJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectJsonAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        var admin = await app.AdminClientAsync();

        (await (await admin.PostJsonAsync($"/api/v1/admin/payouts/{id}/settlement", new { paid = false })).ExpectValidationErrorsAsync()).AssertHasError("reference");
        await (await admin.PostJsonAsync($"/api/v1/admin/payouts/{id}/settlement", new { paid = true, reference = "wire 77" })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await admin.PostJsonAsync($"/api/v1/admin/payouts/{id}/settlement", new { paid = true, reference = "wire 77" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Empty(await EntriesAsync(AuditActions.PayoutMarkedFailed, id));
        var entry = Assert.Single(await EntriesAsync(AuditActions.PayoutMarkedPaid, id));
        Assert.Equal(await AdminIdAsync(), entry.ActorId);
        Assert.Equal(AuditTargets.Payout, entry.TargetType);
        Assert.Equal("AwaitingManual", Json(entry.Before).GetProperty("status").GetString());
        Assert.Equal("Paid", Json(entry.After).GetProperty("status").GetString());
        Assert.Equal("wire 77", Json(entry.After).GetProperty("reference").GetString());
    }

    [Fact]
    public async Task DecideDispute_WhenUpheld_RecordsOneEntryAndARefusedDecisionNone()
    {
        var purchase = await Disputes.DisputeHarness.PurchaseAsync(app);
        var dispute = await Disputes.DisputeHarness.OpenAsync(purchase);
        var id = dispute.Str("id");
        var admin = await app.AdminClientAsync();

        (await (await Disputes.DisputeHarness.DecideAsync(admin, id, "refund")).ExpectValidationErrorsAsync()).AssertHasError("decision");
        Assert.Empty(await EntriesAsync(AuditActions.DisputeDecided, id));
        await (await Disputes.DisputeHarness.DecideAsync(admin, id)).ExpectJsonAsync(HttpStatusCode.OK);
        await (await Disputes.DisputeHarness.DecideAsync(admin, id, "reject")).ExpectProblemAsync(HttpStatusCode.Conflict);

        var entry = Assert.Single(await EntriesAsync(AuditActions.DisputeDecided, id));
        Assert.Equal(await AdminIdAsync(), entry.ActorId);
        Assert.Equal("Open", Json(entry.Before).GetProperty("status").GetString());
        Assert.Equal("Upheld", Json(entry.After).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Blocklist_WhenSellerBlockedAndUnblocked_RecordsOneEntryEach()
    {
        var seller = await app.RegisterAsync("webmaster");
        var browser = await LeadFormHarness.SignInAsync(app, AdminEmail, LeadExchangeFactory.DemoPassword);
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/Admin/Blocklist");
        await (await browser.PostAsync("/Admin/Blocklist", LeadFormHarness.Form(("Form.Kind", "Seller"), ("Form.Value", seller.UserId), ("Form.Reason", "fraud"),
            ("__RequestVerificationToken", token)))).ExpectStatusAsync(HttpStatusCode.Redirect);
        var entryId = await app.WithDbAsync(db => db.Blocklist.Where(b => b.Value == seller.UserId).Select(b => b.Id).SingleAsync());

        var added = Assert.Single(await EntriesAsync(AuditActions.BlocklistAdded, entryId.ToString()));
        Assert.Equal(await AdminIdAsync(), added.ActorId);
        Assert.Equal(seller.UserId, Json(added.After).GetProperty("value").GetString());
        Assert.Equal("fraud", Json(added.After).GetProperty("reason").GetString());

        (_, token) = await LeadFormHarness.PageAsync(browser, "/Admin/Blocklist");
        await (await browser.PostAsync($"/Admin/Blocklist/Remove/{entryId}", LeadFormHarness.Form(("__RequestVerificationToken", token))))
            .ExpectStatusAsync(HttpStatusCode.Redirect);
        var removed = Assert.Single(await EntriesAsync(AuditActions.BlocklistRemoved, entryId.ToString()));
        Assert.Equal(seller.UserId, Json(removed.Before).GetProperty("value").GetString());
        Assert.Null(removed.After);
    }

    [Fact]
    public async Task ChangeConversionStatus_WhenAdvertiserRejects_RecordsOneEntryAndTheRepeatNone()
    {
        var s = await Conversions.PostbackHarness.SetupAsync(app);
        var (id, _, _) = await (await Conversions.PostbackHarness.GetAsync(app, Conversions.PostbackHarness.Query(
            ("click_id", await Conversions.PostbackHarness.ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();

        (await (await s.Advertiser.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "pending" })).ExpectValidationErrorsAsync())
            .AssertHasError("status");
        await (await s.Advertiser.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "rejected", note = "test order" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        await (await s.Advertiser.Client.PostJsonAsync($"/api/v1/conversions/{id}/status", new { status = "approved" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        var entry = Assert.Single(await EntriesAsync(AuditActions.ConversionStatusChanged, id));
        Assert.Equal(s.Advertiser.UserId, entry.ActorId);
        Assert.Equal(s.Advertiser.Email, entry.ActorEmail);
        Assert.Equal("Pending", Json(entry.Before).GetProperty("status").GetString());
        Assert.Equal("Rejected", Json(entry.After).GetProperty("status").GetString());
        Assert.Equal("test order", Json(entry.After).GetProperty("note").GetString());
    }

    [Fact]
    public async Task ListAudit_WhenFiltered_AnswersOnlyMatchingEntriesNewestFirst()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();
        var start = app.Clock.UtcNow.AddSeconds(-1);
        foreach (var amount in new[] { 100, 200, 300 })
            await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount, currency = "RUB" }))
                .ExpectStatusAsync(HttpStatusCode.Created);
        var adminId = await AdminIdAsync();

        var page = await (await admin.GetAsync(
                $"/api/v1/admin/audit?action={AuditActions.ManualTopUp}&targetType=user&targetId={advertiser.UserId}&actorId={adminId}&pageSize=2"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(advertiser.UserId, i.Str("targetId")));
        Assert.Equal(AdminEmail, items[0].Str("actorEmail"));
        var ats = items.Select(i => i.GetProperty("at").GetDateTime()).ToList();
        Assert.True(ats[0] >= ats[1]);

        var second = await (await admin.GetAsync($"/api/v1/admin/audit?targetId={advertiser.UserId}&page=2&pageSize=2")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Single(second.GetProperty("items").EnumerateArray());

        var other = await (await admin.GetAsync($"/api/v1/admin/audit?action={AuditActions.ManualAdjustment}&targetId={advertiser.UserId}"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, other.GetProperty("total").GetInt32());

        var future = Uri.EscapeDataString(app.Clock.UtcNow.AddHours(1).ToString("O"));
        var later = await (await admin.GetAsync($"/api/v1/admin/audit?targetId={advertiser.UserId}&from={future}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, later.GetProperty("total").GetInt32());
        var window = await (await admin.GetAsync(
                $"/api/v1/admin/audit?targetId={advertiser.UserId}&from={Uri.EscapeDataString(start.ToString("O"))}&to={future}"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, window.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("advertiser")]
    [InlineData("webmaster")]
    public async Task ListAudit_WhenNotAdmin_Answers403(string role)
    {
        var user = await app.RegisterAsync(role);
        await (await user.Client.GetAsync("/api/v1/admin/audit")).ExpectStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AuditPage_WhenNotAdmin_IsForbiddenAndForAdminListsEntries()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();
        await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = 777, currency = "RUB" }))
            .ExpectStatusAsync(HttpStatusCode.Created);

        var outsider = await LeadFormHarness.SignInAsync(app, advertiser.Email, advertiser.Password);
        var refused = await outsider.GetAsync("/Admin/Audit");
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"Got {(int)refused.StatusCode}");
        if (refused.StatusCode == HttpStatusCode.Redirect)
            Assert.Contains("/account/denied", refused.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);

        var browser = await LeadFormHarness.SignInAsync(app, AdminEmail, LeadExchangeFactory.DemoPassword);
        var html = await (await browser.GetAsync($"/Admin/Audit?targetId={advertiser.UserId}")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains(AuditActions.ManualTopUp, html);
        Assert.Contains(advertiser.UserId, html);

        var csv = await (await browser.GetAsync($"/Admin/Audit/Csv?targetId={advertiser.UserId}")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains(AuditActions.ManualTopUp, csv);
    }

    [Fact]
    public void Routes_WhenListed_HaveNoWriteRouteForAuditEntries()
    {
        var routes = Security.EndpointInventory.Enumerate(app.Services)
            .Where(r => r.Template.Contains("/audit", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, r => Assert.Equal("GET", r.Method));
    }
}

public sealed class AuditLogTests_Sqlite(Conversions.PostbackSqliteFactory app) : AuditLogTests(app), IClassFixture<Conversions.PostbackSqliteFactory>;

public sealed class AuditLogTests_PostgreSql(Conversions.PostbackPostgreSqlFactory app) : AuditLogTests(app), IClassFixture<Conversions.PostbackPostgreSqlFactory>;
