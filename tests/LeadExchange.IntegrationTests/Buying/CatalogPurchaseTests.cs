using System.Net;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>API.md /api/v1/catalog and /buy: masked listing, atomic purchase, never oversold, never negative, on one node or two.</summary>
public abstract class CatalogPurchaseTests(PostbackFactory app)
{
    [Fact]
    public async Task Catalog_ListsUnsoldLeads_WithContactMasked()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app, topUp: 0);
        var body = LeadBody(niche, name: "Zinaida Kuznetsova", email: $"zinaida.{TestServices.ShortId()}@example.com");
        var lead = await SubmitAsync(webmaster.Client, body);

        var response = await advertiser.Client.GetAsync($"/api/v1/catalog?niche={niche}");
        var raw = await response.ExpectStatusAsync(HttpStatusCode.OK);

        var item = Assert.Single((await response.ExpectJsonAsync(HttpStatusCode.OK)).Items());
        Assert.Equal(lead.Id.ToString(), item.Str("leadId"));
        Assert.Equal(lead.Price, item.GetProperty("price").GetInt64());
        Assert.Equal("RU-MOW", item.Str("region"));
        Assert.Equal(lead.Temperature, item.Str("temperature"));
        Assert.Contains("*", item.Str("maskedPhone"));
        Assert.Contains("*", item.Str("maskedName"));
        var digits = Digits(lead.Phone);
        Assert.DoesNotContain(digits[^7..], raw);
        Assert.DoesNotContain(lead.Email!, raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(lead.Email!.Split('@')[0], raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Kuznetsova", raw);
        Assert.DoesNotContain("Zinaida", raw);
    }

    [Fact]
    public async Task Buy_Exclusive_Answers201WithTheContact_ChargesOnce_AndTheLeadLeavesTheCatalog()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var late = await AdvertiserAsync(app);
        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        var response = await BuyAsync(buyer.Client, lead.Id, exclusive: true);

        var purchase = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Contains(purchase.Str("saleId"), response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(lead.Id.ToString(), purchase.Str("leadId"));
        Assert.Equal(("catalog", true), (purchase.Str("channel"), purchase.GetProperty("exclusive").GetBoolean()));
        Assert.Equal(Digits(lead.Phone)[^7..], Digits(purchase.GetProperty("contact").Str("phone"))[^7..]);
        Assert.Equal(lead.Email, purchase.GetProperty("contact").Str("email"));
        Assert.Equal((RichTopUp - lead.Price, lead.Price), await BalanceAsync(buyer));
        Assert.Equal([-lead.Price], await SaleChargesAsync(buyer));
        Assert.DoesNotContain(lead.Id, await CatalogLeadIdsAsync(late.Client, niche));

        var refused = await (await BuyAsync(late.Client, lead.Id, exclusive: false)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("already_sold", refused.Str("code"));
        var again = await (await BuyAsync(buyer.Client, lead.Id, exclusive: true)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.False(string.IsNullOrEmpty(again.Str("code")));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(late));
        Assert.Equal(1, await SaleChargesForLeadAsync(app, lead.Id));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Buy_WithTooLittleBalance_Answers402_AndTheLeadStaysOnSale()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var lead = await SubmitLeadAsync(webmaster.Client, niche);
        var poor = await AdvertiserAsync(app, topUp: lead.Price - 1);

        var problem = await (await BuyAsync(poor.Client, lead.Id, exclusive: true)).ExpectProblemAsync(HttpStatusCode.PaymentRequired);

        Assert.Equal("insufficient_funds", problem.Str("code"));
        Assert.Equal((lead.Price - 1, 0L), await BalanceAsync(poor));
        Assert.Empty(await SaleChargesAsync(poor));
        Assert.Contains(lead.Id, await CatalogLeadIdsAsync(poor.Client, niche));
        // Nothing of the refused attempt stuck to the lead: somebody else can still buy it exclusively.
        var rich = await AdvertiserAsync(app);
        await (await BuyAsync(rich.Client, lead.Id, exclusive: true)).ExpectStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Buy_FiftyBuyersInParallelExclusive_ExactlyOneWins_AndOneCharge()
    {
        var (niche, buyers, lead) = await LeadAndBuyersAsync(50);

        var responses = await Task.WhenAll(buyers.Select(b => Task.Run(() => BuyAsync(b.Client, lead.Id, exclusive: true))));

        await AssertOneExclusiveWinnerAsync(app, buyers, responses, lead);
    }

    [Fact]
    public async Task Buy_FiftyBuyersInParallelAcrossTwoNodes_ExactlyOneWins_AndOneCharge()
    {
        var (niche, buyers, lead) = await LeadAndBuyersAsync(50);
        await using var node2 = app.SecondNode();
        await node2.InitializeAsync();
        var clients = buyers.Select((b, i) => i % 2 == 0 ? b.Client : node2.CreateClientWithKey(b.ApiKey)).ToList();

        var responses = await Task.WhenAll(clients.Select(c => Task.Run(() => BuyAsync(c, lead.Id, exclusive: true))));

        await AssertOneExclusiveWinnerAsync(app, buyers, responses, lead);
    }

    /// <summary>A fresh niche with one unsold lead in it and <paramref name="count"/> funded advertisers.</summary>
    private async Task<(string Niche, List<TestUser> Buyers, SubmittedLead Lead)> LeadAndBuyersAsync(int count, int maxSharedBuyers = 3)
    {
        var niche = await NicheAsync(app, maxSharedBuyers);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyers = await AdvertisersAsync(app, count);
        return (niche, buyers, await SubmitLeadAsync(webmaster.Client, niche));
    }

    [Fact]
    public async Task Buy_SharedInParallel_NeverExceedsMaxSharedBuyers()
    {
        var (niche, buyers, lead) = await LeadAndBuyersAsync(20, maxSharedBuyers: 3);

        var responses = await Task.WhenAll(buyers.Select(b => Task.Run(() => BuyAsync(b.Client, lead.Id, exclusive: false))));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("already_sold", (await loser.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal(3, await SaleChargesForLeadAsync(app, lead.Id));
        var held = 0L;
        foreach (var b in buyers) held += (await BalanceAsync(b)).Held;
        Assert.Equal(3 * lead.Price, held);
        Assert.DoesNotContain(lead.Id, await CatalogLeadIdsAsync((await AdvertiserAsync(app, topUp: 0)).Client, niche));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Buy_TheSameSharedLeadByOneBuyerInParallel_BuysItOnce_AndChargesOnce()
    {
        var (_, buyers, lead) = await LeadAndBuyersAsync(1, maxSharedBuyers: 3);
        var buyer = buyers[0];

        // All pass the "already bought?" read before the first commits; the unique (lead, buyer) index refuses the rest.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => BuyAsync(buyer.Client, lead.Id, exclusive: false))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var repeat in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("already_bought", (await repeat.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal([-lead.Price], await SaleChargesAsync(buyer));
        Assert.Equal(1, await SaleChargesForLeadAsync(app, lead.Id));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Buy_OneBuyerInParallelWithBalanceForTwoLeads_BuysTwo_AndNeverGoesNegative()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var leads = new List<SubmittedLead>();
        for (var i = 0; i < 8; i++) leads.Add(await SubmitLeadAsync(webmaster.Client, niche));
        var price = leads[0].Price;
        Assert.All(leads, l => Assert.Equal(price, l.Price));
        var buyer = await AdvertiserAsync(app, topUp: 2 * price + price / 2);

        var responses = await Task.WhenAll(leads.Select(l => Task.Run(() => BuyAsync(buyer.Client, l.Id, exclusive: true))));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("insufficient_funds", (await refused.ExpectProblemAsync(HttpStatusCode.PaymentRequired)).Str("code"));
        Assert.Equal((price / 2, 2 * price), await BalanceAsync(buyer));
        Assert.Equal([-price, -price], await SaleChargesAsync(buyer));
        Assert.Equal(6, (await CatalogLeadIdsAsync(buyer.Client, niche)).Count);
        await LedgerHarness.AssertReconciledAsync(app);
    }
}

public sealed class CatalogPurchaseTests_Sqlite(PostbackSqliteFactory app) : CatalogPurchaseTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class CatalogPurchaseTests_PostgreSql(PostbackPostgreSqlFactory app) : CatalogPurchaseTests(app), IClassFixture<PostbackPostgreSqlFactory>;
