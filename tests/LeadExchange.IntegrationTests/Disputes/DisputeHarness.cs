using System.Net;
using System.Text.Json;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Disputes;

/// <summary>A bought lead: who bought it from whom, the sale, its price and the end of its dispute window (as stored).</summary>
public sealed record Purchase(TestUser Buyer, TestUser Seller, Guid SaleId, Guid LeadId, Guid HoldId, long Price, DateTime DisputeUntil, string Phone);

/// <summary>Buyers, sellers, sales and the dispute calls the dispute tests repeat, all through the public API.</summary>
public static class DisputeHarness
{
    public const long TopUp = 5_000_000;
    public const string Comment = "The phone number does not answer.";
    public const string Note = "Checked the call log and the lead's answers.";

    /// <summary>A 1x1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static async Task<TestUser> FundedBuyerAsync(LeadExchangeFactory app, long amount = TopUp)
    {
        var buyer = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, buyer.Email, amount);
        return buyer;
    }

    /// <summary>Submits a Moscow real-estate lead (a fresh person unless <paramref name="phone"/>) and returns its id and the answer.</summary>
    public static async Task<(Guid LeadId, JsonElement Answer)> SubmitLeadAsync(TestUser seller, string phone, string region = "RU-MOW")
    {
        var answer = await (await seller.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body(phone, region: region))).ExpectJsonAsync(HttpStatusCode.Created);
        return (Guid.Parse(answer.Str("leadId")), answer);
    }

    public static async Task<Purchase> BuyAsync(LeadExchangeFactory app, TestUser buyer, TestUser seller, Guid leadId, string phone)
    {
        var bought = await (await buyer.Client.PostJsonAsync($"/api/v1/catalog/{leadId}/buy", new { exclusive = true })).ExpectJsonAsync(HttpStatusCode.Created);
        return await PurchaseOfAsync(app, buyer, seller, Guid.Parse(bought.Str("saleId")), phone);
    }

    /// <summary>The sale as the database holds it (its DisputeUntil at the stored precision, for exact boundary tests).</summary>
    public static async Task<Purchase> PurchaseOfAsync(LeadExchangeFactory app, TestUser buyer, TestUser seller, Guid saleId, string phone)
    {
        var sale = await app.WithDbAsync(db => db.LeadSales.AsNoTracking().SingleAsync(s => s.Id == saleId));
        return new Purchase(buyer, seller, sale.Id, sale.LeadId, sale.HoldId, sale.Price, DateTime.SpecifyKind(sale.DisputeUntil, DateTimeKind.Utc), phone);
    }

    /// <summary>A new seller's new lead bought by <paramref name="buyer"/> (a new funded buyer if null).</summary>
    public static async Task<Purchase> PurchaseAsync(LeadExchangeFactory app, TestUser? buyer = null, TestUser? seller = null, string? phone = null)
    {
        buyer ??= await FundedBuyerAsync(app);
        seller ??= await app.RegisterAsync("webmaster");
        phone ??= LeadIntakeTests.NextPhone();
        var (leadId, _) = await SubmitLeadAsync(seller, phone);
        return await BuyAsync(app, buyer, seller, leadId, phone);
    }

    public static object Evidence(string fileName, string contentType, byte[] content) =>
        new { fileName, contentType, base64 = Convert.ToBase64String(content) };

    public static Task<HttpResponseMessage> DisputeAsync(HttpClient buyer, Guid saleId, string reason = "invalid_phone", string? comment = Comment,
        params object[] evidence) =>
        buyer.PostJsonAsync($"/api/v1/purchases/{saleId}/dispute", new { reason, comment, evidence });

    /// <summary>Opens a dispute (201 asserted) and returns its body.</summary>
    public static async Task<JsonElement> OpenAsync(Purchase purchase, string reason = "invalid_phone", string? comment = Comment, params object[] evidence) =>
        await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, reason, comment, evidence)).ExpectJsonAsync(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> DecideAsync(HttpClient moderator, string disputeId, string decision = "uphold", string note = Note) =>
        moderator.PostJsonAsync($"/api/v1/disputes/{disputeId}/decision", new { decision, note });

    /// <summary>
    /// A newly registered user the admin made a moderator (a second pair of hands next to the demo moderator), with
    /// two-factor sign-in turned on: a moderator's key works only then.
    /// </summary>
    public static async Task<TestUser> ModeratorAsync(LeadExchangeFactory app)
    {
        var user = await app.RegisterAsync("webmaster");
        var admin = await app.DemoClientAsync("admin");
        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "Moderator", granted = true })).ExpectStatusAsync(HttpStatusCode.NoContent);
        await TwoFactorCodes.TurnOnAsync(app, user);
        return user;
    }

    /// <summary>GET /api/v1/balance: (available, held, owed) in the main currency.</summary>
    public static async Task<(long Available, long Held, long Owed)> BalanceAsync(HttpClient client)
    {
        var body = await (await client.GetAsync("/api/v1/balance?currency=RUB")).ExpectJsonAsync(HttpStatusCode.OK);
        return (body.GetProperty("available").GetInt64(), body.GetProperty("held").GetInt64(), body.GetProperty("owed").GetInt64());
    }

    public static Task<EscrowHold> HoldAsync(LeadExchangeFactory app, Guid holdId) =>
        app.WithDbAsync(db => db.EscrowHolds.AsNoTracking().SingleAsync(h => h.Id == holdId));

    public static async Task<int> ReleaseDueHoldsAsync(LeadExchangeFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Application.Ledger.ReleaseDueHoldsCommand());
    }

    /// <summary>Journal entries of a type posted for this hold (refund and release use the hold's reference).</summary>
    public static Task<int> EntriesAsync(LeadExchangeFactory app, JournalEntryType type, string reference) =>
        app.WithDbAsync(db => db.JournalEntries.CountAsync(e => e.Type == type && e.Reference == reference));

    /// <summary>Every journal entry touching these users' accounts balances to zero, and the whole ledger reconciles.</summary>
    public static async Task AssertBalancedAsync(LeadExchangeFactory app, params string[] ownerIds)
    {
        var sums = await app.WithDbAsync(async db =>
        {
            var accounts = await db.LedgerAccounts.AsNoTracking().Where(a => ownerIds.Contains(a.OwnerId)).Select(a => a.Id).ToListAsync();
            var entries = await db.Postings.AsNoTracking().Where(p => accounts.Contains(p.AccountId)).Select(p => p.JournalEntryId).Distinct().ToListAsync();
            var postings = await db.Postings.AsNoTracking().Where(p => entries.Contains(p.JournalEntryId)).Select(p => new { p.JournalEntryId, p.Amount }).ToListAsync();
            return postings.GroupBy(p => p.JournalEntryId).Select(g => g.Sum(p => p.Amount)).ToList();
        });
        Assert.NotEmpty(sums);
        Assert.All(sums, sum => Assert.Equal(0, sum));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    public static string Code(this JsonElement problem) => problem.Str("code");

    public static async Task<string> ExpectConflictAsync(this HttpResponseMessage response) =>
        (await response.ExpectProblemAsync(HttpStatusCode.Conflict)).Code();

    /// <summary>The factory's clock stopped at <paramref name="at"/> while <paramref name="work"/> runs.</summary>
    public static async Task FrozenAtAsync(PostbackFactory app, DateTime at, Func<Task> work)
    {
        app.Clock.FreezeAt(at);
        try
        {
            await work();
        }
        finally
        {
            app.Clock.Resume();
        }
    }
}
