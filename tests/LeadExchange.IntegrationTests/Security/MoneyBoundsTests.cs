using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;
using LeadExchange.IntegrationTests.Ledger;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Security review "Trust": money inputs are bounded (manual top-ups by the maximum top-up, sale amounts by Money:MaxSaleAmount),
/// ledger balances never wrap or saturate, the reconciliation reports an overflow instead of failing, and admins have an
/// audited negative adjustment that cannot take a balance below zero.
/// </summary>
public abstract partial class MoneyBoundsTests(PostbackFactory app)
{
    /// <summary>PlatformSettings.TopUpMax by default: 1,000,000.00.</summary>
    private const long TopUpMax = 1_000_000_00;

    [GeneratedRegex("data-valmsg-for=\"([^\"]+)\"[^>]*>([^<]*)<", RegexOptions.IgnoreCase)]
    private static partial Regex FieldMessage();

    /// <summary>The messages shown beside each field of a rendered form (ASP.NET's validation spans), HTML-decoded.</summary>
    private static Dictionary<string, string> FieldMessages(string html) =>
        FieldMessage().Matches(html).Where(m => m.Groups[2].Value.Trim().Length > 0)
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value.Trim()));

    [Fact]
    public async Task ManualTopUp_WhenAboveTheMaximumTopUp_Answers422OnAmountAndCreditsNothing()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var admin = await app.AdminClientAsync();

        foreach (var amount in new[] { long.MaxValue, TopUpMax + 1 })
        {
            var errors = await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount, currency = "RUB" }))
                .ExpectValidationErrorsAsync();
            errors.AssertHasError("amount");
            Assert.Contains("maximum top-up", errors["amount"][0]);
        }
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));

        // The maximum itself is fine, and the maximum cannot be set near the Int64 range.
        await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = TopUpMax, currency = "RUB" }))
            .ExpectStatusAsync(HttpStatusCode.Created);
        (await (await admin.PutJsonAsync("/api/v1/admin/settings",
                new { commissionBp = 2000, topUpMin = 100_000, topUpMax = long.MaxValue, payoutMin = 50_000, payoutScheduleDays = 7 }))
            .ExpectValidationErrorsAsync()).AssertHasError("topUpMax");
        Assert.Equal(TopUpMax, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task ManualTopUpPage_WhenAmountAboveTheMaximum_ShowsTheMessageBesideTheAmountField()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var browser = await LeadFormHarness.SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/Admin/TopUps");

        var html = await (await browser.PostAsync("/Admin/TopUps", LeadFormHarness.Form(("Form.Email", advertiser.Email), ("Form.Amount", "92233720368547758.07"),
            ("Form.Currency", "RUB"), ("Form.Note", "typo"), ("Form.IdempotencyKey", TestServices.ShortId()), ("__RequestVerificationToken", token))))
            .ExpectStatusAsync(HttpStatusCode.OK);

        var messages = FieldMessages(html);
        Assert.True(messages.TryGetValue("Form.Amount", out var message), $"No message beside the amount: {string.Join("; ", messages)}");
        Assert.Contains("A manual top-up is at most 1,000,000.00", message);
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));
    }

    [Fact]
    public async Task ManualTopUp_WhenTheBalanceWouldPassTheInt64Range_Answers422AndTheBalanceStaysExact()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, advertiser.Email, 1_000);
        // A balance left near the limit by data from before the bound (the review's saturated account).
        const long nearMax = long.MaxValue - 500;
        await SetBalanceAsync(advertiser.UserId, nearMax);
        try
        {
            var admin = await app.AdminClientAsync();
            var errors = await (await admin.PostJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = 1_000, currency = "RUB" }))
                .ExpectValidationErrorsAsync();
            errors.AssertHasError("amount");
            Assert.Equal(nearMax, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));
            Assert.Equal(1, await app.WithDbAsync(db => db.TopUps.CountAsync(t => t.AdvertiserId == advertiser.UserId)));
        }
        finally
        {
            await SetBalanceAsync(advertiser.UserId, 1_000);
        }
        await LedgerHarness.AssertReconciledAsync(app);
    }

    private Task<int> SetBalanceAsync(string advertiserId, long balance) =>
        app.WithDbAsync(db => db.LedgerAccounts.Where(a => a.Type == AccountType.AdvertiserBalance && a.OwnerId == advertiserId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, balance)));

    [Fact]
    public async Task Reconciliation_WhenPostingsSumPastTheInt64Range_ReportsAnOverflowFindingInsteadOf500()
    {
        // Postings the poster no longer accepts, as the review found them: one account credited past the Int64 range.
        var owner = $"overflow-{TestServices.ShortId()}";
        var credited = new LedgerAccount(AccountType.AdvertiserBalance, owner, "RUB");
        var debited = new LedgerAccount(AccountType.AdvertiserReceivable, owner, "RUB");
        var now = TestTime.UtcNow;
        var entries = new[]
        {
            JournalEntry.Create(JournalEntryType.ManualAdjustment, $"{owner}:1", "test", "RUB", [(credited, long.MaxValue), (debited, -long.MaxValue)], now),
            JournalEntry.Create(JournalEntryType.ManualAdjustment, $"{owner}:2", "test", "RUB", [(credited, 1_000), (debited, -1_000)], now),
        };
        await app.WithDbAsync(db =>
        {
            db.LedgerAccounts.AddRange(credited, debited);
            db.JournalEntries.AddRange(entries);
            return db.SaveChangesAsync();
        });
        try
        {
            var admin = await app.AdminClientAsync();
            var report = await (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).ExpectJsonAsync(HttpStatusCode.OK);

            Assert.False(report.GetProperty("balanced").GetBoolean());
            var overflows = report.GetProperty("overflows").EnumerateArray().Select(o => o.GetString()!).ToList();
            Assert.Contains(overflows, o => o.StartsWith($"AdvertiserBalance/{owner}/RUB", StringComparison.Ordinal) && o.Contains("9223372036854776807"));
            Assert.Contains(overflows, o => o.StartsWith($"AdvertiserReceivable/{owner}/RUB", StringComparison.Ordinal) && o.Contains("-9223372036854776807"));
            // The entries themselves balance, and so does everything together.
            Assert.DoesNotContain(report.GetProperty("unbalancedEntries").EnumerateArray(), e => entries.Any(x => x.Id.ToString() == e.GetString()));
            Assert.Equal(0, report.GetProperty("totalOfAllPostings").GetInt64());
        }
        finally
        {
            var ids = entries.Select(e => e.Id).ToList();
            await app.WithDbAsync(async db =>
            {
                await db.Postings.Where(p => ids.Contains(p.JournalEntryId)).ExecuteDeleteAsync();
                await db.JournalEntries.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync();
                return await db.LedgerAccounts.Where(a => a.OwnerId == owner).ExecuteDeleteAsync();
            });
        }
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task ManualAdjustment_DebitsTheAvailableBalance_RecordingTheReasonAndTheAdmin()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, advertiser.Email, 5_000_00);
        var admin = await app.AdminClientAsync();
        var adminId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "admin@demo.test").Select(u => u.Id).SingleAsync());

        var done = await (await admin.PostJsonAsync("/api/v1/admin/manual-adjustments",
                new { email = advertiser.Email, amount = 2_000_00, currency = "RUB", reason = "Wire 42 credited twice" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal((advertiser.UserId, 2_000_00L, "RUB", adminId), (done.Str("advertiserId"), done.GetProperty("amount").GetInt64(), done.Str("currency"), done.Str("createdBy")));

        var balance = await (await advertiser.Client.GetAsync("/api/v1/balance")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3_000_00, balance.GetProperty("available").GetInt64());
        var statement = await (await advertiser.Client.GetAsync("/api/v1/ledger?type=manualAdjustment")).ExpectJsonAsync(HttpStatusCode.OK);
        var line = Assert.Single(statement.GetProperty("items").EnumerateArray());
        Assert.Equal((-2_000_00L, adminId), (line.GetProperty("amount").GetInt64(), line.Str("createdBy")));
        Assert.Contains("Wire 42 credited twice", line.Str("description"));
        // Balanced: the other side is the platform's payment clearing account, the reverse of a manual top-up.
        var entryId = done.Str("journalEntryId");
        var postings = await app.WithDbAsync(db => db.Postings.Where(p => p.JournalEntryId == Guid.Parse(entryId)).Select(p => p.Amount).ToListAsync());
        Assert.Equal(new[] { -2_000_00L, 2_000_00L }, postings.Order().ToArray());
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task ManualAdjustment_WhenMoreThanAvailableWithoutReasonOrNotAdmin_IsRefused_AndParallelOnesNeverGoBelowZero()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, advertiser.Email, 3_000);
        var admin = await app.AdminClientAsync();

        var tooMuch = await (await admin.PostJsonAsync("/api/v1/admin/manual-adjustments",
            new { userId = advertiser.UserId, amount = 3_001, currency = "RUB", reason = "test" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("insufficient_funds", tooMuch.Str("code"));
        var errors = await (await admin.PostJsonAsync("/api/v1/admin/manual-adjustments",
            new { userId = advertiser.UserId, amount = 0, currency = "RUB", reason = " " })).ExpectValidationErrorsAsync();
        errors.AssertHasError("amount");
        errors.AssertHasError("reason");
        await (await advertiser.Client.PostJsonAsync("/api/v1/admin/manual-adjustments",
            new { userId = advertiser.UserId, amount = 1, currency = "RUB", reason = "mine" })).ExpectStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(3_000, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => admin.PostJsonAsync("/api/v1/admin/manual-adjustments",
            new { userId = advertiser.UserId, amount = 1_000, currency = "RUB", reason = "parallel" }))));
        Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task AdjustmentForm_ShowsEachErrorBesideItsField_AndDebitsWithTheReason()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, advertiser.Email, 1_000_00);
        var browser = await LeadFormHarness.SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);
        var (page, token) = await LeadFormHarness.PageAsync(browser, "/Admin/TopUps/Adjust");
        Assert.Contains("data-testid=\"adjustment-form\"", page);
        Task<HttpResponseMessage> Post(string amount, string reason) => browser.PostAsync("/Admin/TopUps/Adjust", LeadFormHarness.Form(
            ("Form.Email", advertiser.Email), ("Form.Amount", amount), ("Form.Currency", "RUB"), ("Form.Reason", reason),
            ("Form.IdempotencyKey", TestServices.ShortId()), ("__RequestVerificationToken", token)));

        var noReason = FieldMessages(await (await Post("10.00", "")).ExpectStatusAsync(HttpStatusCode.OK));
        Assert.Contains("Say why", noReason.GetValueOrDefault("Form.Reason"));
        var tooMuch = FieldMessages(await (await Post("1000.01", "test")).ExpectStatusAsync(HttpStatusCode.OK));
        Assert.Contains("below zero", tooMuch.GetValueOrDefault("Form.Amount"));
        Assert.Equal(1_000_00, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));

        await (await Post("250.00", "Demo credit taken back")).ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal(750_00, await LedgerHarness.BalanceAsync(app, AccountType.AdvertiserBalance, advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Purchase_WhenSaleAmountAboveTheMaximum_Answers422AndStaysUnconverted()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var lead = await SubmitLeadAsync(webmaster.Client, niche);
        var saleId = (await (await BuyAsync(buyer.Client, lead.Id, exclusive: true)).ExpectJsonAsync(HttpStatusCode.Created)).Str("saleId");
        Task<HttpResponseMessage> Convert(long saleAmount) => buyer.Client.PatchAsync($"/api/v1/purchases/{saleId}",
            new StringContent(JsonSerializer.Serialize(new { status = "converted", saleAmount }), System.Text.Encoding.UTF8, "application/json"));

        foreach (var amount in new[] { long.MaxValue, MoneyLimitsOptions.DefaultMaxSaleAmount + 1 })
        {
            var errors = await (await Convert(amount)).ExpectValidationErrorsAsync();
            errors.AssertHasError("saleAmount");
            Assert.Contains("at most", errors["saleAmount"][0]);
        }
        Assert.Equal("new", (await (await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectJsonAsync(HttpStatusCode.OK)).Str("status"));

        var converted = await (await Convert(MoneyLimitsOptions.DefaultMaxSaleAmount)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(MoneyLimitsOptions.DefaultMaxSaleAmount, converted.GetProperty("saleAmount").GetInt64());
    }

    [Fact]
    public async Task Postback_WhenAmountAboveTheMaximum_Answers422BadAmountAndRecordsNothing()
    {
        var s = await SetupAsync(app);
        var clickId = await ClickAsync(app, s.LinkCode);
        // A fixed goal: the amount only feeds reports (before the bound, 2^63-1 minor units was recorded and turned totals negative).
        foreach (var amount in new[] { "92233720368547758.07", "100000000.01", "79228162514264337593543950335" })
        {
            var error = await (await GetAsync(app, Query(("click_id", clickId), ("goal", "deposit"), ("amount", amount), ("txid", amount), ("token", s.Token))))
                .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "bad_amount");
            Assert.Contains("at most 100000000", error.Str("message"));
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));

        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "deposit"), ("amount", "100000000.00"), ("token", s.Token)))).ExpectOkAsync();
        Assert.Equal(MoneyLimitsOptions.DefaultMaxSaleAmount,
            await app.WithDbAsync(db => db.Conversions.Where(c => c.ClickId == clickId).Select(c => c.SaleAmount).SingleAsync()));
    }
}

public sealed class MoneyBoundsTests_Sqlite(PostbackSqliteFactory app) : MoneyBoundsTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class MoneyBoundsTests_PostgreSql(PostbackPostgreSqlFactory app) : MoneyBoundsTests(app), IClassFixture<PostbackPostgreSqlFactory>;
