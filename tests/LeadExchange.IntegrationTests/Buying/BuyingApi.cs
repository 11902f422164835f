using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>A submitted lead as the intake answered: id, price, status (on_sale or sold), how many buyers took it, temperature.</summary>
public sealed record SubmittedLead(Guid Id, long Price, string Status, int SoldTo, string Temperature, string Phone, string? Email);

/// <summary>
/// Calls the buying tests repeat. Orders buy across a whole niche and one app (and database) serves a whole
/// test class, so every test trades in a niche of its own (<see cref="NicheAsync"/>): one test's orders never
/// buy another test's leads.
/// </summary>
public static class BuyingApi
{
    public const long RichTopUp = 100_000_000; // 1,000,000.00 RUB: more than any test spends
    public const long High = 50_000_000; // 500,000.00 RUB: a max price above any lead's price

    /// <summary>Only the digits of a phone number (or of any text).</summary>
    public static string Digits(string text) => new(text.Where(char.IsDigit).ToArray());

    /// <summary>A fresh active niche (admin API) with fields budget (required) and timeframe; priced with the default tables.</summary>
    public static async Task<string> NicheAsync(IAppNode app, int maxSharedBuyers = 3, int hotThreshold = 70, int warmThreshold = 40)
    {
        var code = "buy-" + TestServices.ShortId();
        var admin = await app.AdminClientAsync();
        var body = new JsonObject
        {
            ["code"] = code,
            ["name"] = $"Buying test {code}",
            ["description"] = "Created by a buying integration test.",
            ["currency"] = "RUB",
            ["dedupWindowDays"] = 30,
            ["disputeWindowHours"] = 72,
            ["leadExpiryDays"] = 14,
            ["maxSharedBuyers"] = maxSharedBuyers,
            ["hotThreshold"] = hotThreshold,
            ["warmThreshold"] = warmThreshold,
            ["consentText"] = "I consent to being contacted.",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "budget", ["label"] = "Budget", ["type"] = "integer", ["required"] = true },
                new JsonObject { ["key"] = "timeframe", ["label"] = "When", ["type"] = "choice", ["required"] = false, ["choices"] = new JsonArray("now", "later") }),
            ["isActive"] = true,
        };
        await (await admin.PostJsonAsync("/api/v1/admin/niches", body)).ExpectStatusAsync(HttpStatusCode.Created);
        return code;
    }

    /// <summary>
    /// A lead body for <paramref name="niche"/>. Rich (email, timeframe now, consent page and address, human fill time)
    /// scores hot; poor (none of those) scores below hot.
    /// </summary>
    public static JsonObject LeadBody(string niche, string region = "RU-MOW", string? phone = null, string? email = null, bool rich = true,
        string name = "Ivan Petrov") => new()
    {
        ["niche"] = niche,
        ["region"] = region,
        ["name"] = name,
        ["phone"] = phone ?? LeadIntakeTests.NextPhone(),
        ["email"] = rich ? email ?? $"lead-{TestServices.ShortId()}@example.com" : email,
        ["fields"] = new JsonObject { ["budget"] = 5_000_000, ["timeframe"] = rich ? "now" : "later" },
        ["consent"] = rich
            ? new JsonObject
            {
                ["text"] = "I agree to be contacted.", ["givenAt"] = TestTime.UtcNow.AddMinutes(-2).ToString("O"),
                ["pageUrl"] = "https://landing.example/form", ["ip"] = Tracking.ClickFactory.NextIp(),
            }
            : new JsonObject { ["text"] = "I agree to be contacted.", ["givenAt"] = TestTime.UtcNow.AddMinutes(-2).ToString("O") },
        ["formFillSeconds"] = rich ? 41 : null,
    };

    /// <summary>POST /api/v1/leads (201 asserted) and the answer.</summary>
    public static async Task<SubmittedLead> SubmitAsync(HttpClient webmaster, JsonObject body)
    {
        var answer = await (await webmaster.PostJsonAsync("/api/v1/leads", body)).ExpectJsonAsync(HttpStatusCode.Created);
        return new SubmittedLead(Guid.Parse(answer.Str("leadId")), answer.GetProperty("price").GetProperty("amount").GetInt64(), answer.Str("status"),
            answer.GetProperty("soldTo").GetInt32(), answer.Str("temperature"), body["phone"]!.ToString(), body["email"]?.ToString());
    }

    public static Task<SubmittedLead> SubmitLeadAsync(HttpClient webmaster, string niche, string region = "RU-MOW", bool rich = true) =>
        SubmitAsync(webmaster, LeadBody(niche, region, rich: rich));

    /// <summary>An order body; every term has a harmless default (all regions, any temperature, shared, no caps, always open).</summary>
    public static JsonObject OrderBody(string niche, long maxPrice, bool exclusive = false, string[]? regions = null, string? minTemperature = null,
        int? dailyCap = null, int? monthlyCap = null, long? budget = null, string[]? days = null, int? hourFrom = null, int? hourTo = null,
        string? timeZone = null, bool? active = null) => new()
    {
        ["name"] = $"Order {TestServices.ShortId()}",
        ["niche"] = niche,
        ["regions"] = new JsonArray((regions ?? []).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
        ["maxPrice"] = maxPrice,
        ["minTemperature"] = minTemperature,
        ["exclusive"] = exclusive,
        ["dailyCap"] = dailyCap,
        ["monthlyCap"] = monthlyCap,
        ["budget"] = budget,
        ["days"] = days is null ? null : new JsonArray(days.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
        ["hourFrom"] = hourFrom,
        ["hourTo"] = hourTo,
        ["timeZone"] = timeZone,
        ["active"] = active,
    };

    /// <summary>POST /api/v1/lead-orders (201 asserted) and the order.</summary>
    public static async Task<JsonElement> CreateOrderAsync(HttpClient advertiser, JsonObject body) =>
        await (await advertiser.PostJsonAsync("/api/v1/lead-orders", body)).ExpectJsonAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> GetOrderAsync(HttpClient advertiser, string orderId) =>
        await (await advertiser.GetAsync($"/api/v1/lead-orders/{orderId}")).ExpectJsonAsync(HttpStatusCode.OK);

    /// <summary>A new advertiser with <paramref name="topUp"/> (minor units) credited by the admin.</summary>
    public static async Task<TestUser> AdvertiserAsync(IAppNode app, long topUp = RichTopUp)
    {
        var advertiser = await app.RegisterAsync("advertiser");
        if (topUp > 0) await LedgerHarness.TopUpAsync(app, advertiser.Email, topUp);
        return advertiser;
    }

    /// <summary>Many funded advertisers, registered a few at a time.</summary>
    public static async Task<List<TestUser>> AdvertisersAsync(IAppNode app, int count, long topUp = RichTopUp)
    {
        var all = new List<TestUser>();
        foreach (var batch in Enumerable.Range(0, count).Chunk(10))
            all.AddRange(await Task.WhenAll(batch.Select(_ => AdvertiserAsync(app, topUp))));
        return all;
    }

    /// <summary>GET /api/v1/balance: (available, held) in minor units.</summary>
    public static async Task<(long Available, long Held)> BalanceAsync(TestUser user)
    {
        var balance = await (await user.Client.GetAsync("/api/v1/balance")).ExpectJsonAsync(HttpStatusCode.OK);
        return (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64());
    }

    /// <summary>The owner's sale lines on their advertiser balance (GET /api/v1/ledger): one negative amount per lead bought.</summary>
    public static async Task<List<long>> SaleChargesAsync(TestUser advertiser)
    {
        var statement = await (await advertiser.Client.GetAsync("/api/v1/ledger?type=Sale&account=AdvertiserBalance&pageSize=200"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        return statement.Items().Select(l => l.GetProperty("amount").GetInt64()).ToList();
    }

    /// <summary>Every sale line of every advertiser (admin ledger) that charged for <paramref name="leadId"/>.</summary>
    public static async Task<int> SaleChargesForLeadAsync(IAppNode app, Guid leadId)
    {
        var admin = await app.AdminClientAsync();
        var count = 0;
        for (var page = 1; ; page++)
        {
            var statement = await (await admin.GetAsync($"/api/v1/ledger?type=Sale&account=AdvertiserBalance&pageSize=200&page={page}"))
                .ExpectJsonAsync(HttpStatusCode.OK);
            var items = statement.Items().ToList();
            count += items.Count(l => l.Str("description").Contains(leadId.ToString("N"), StringComparison.Ordinal));
            if (items.Count < 200) return count;
        }
    }

    /// <summary>
    /// After funded <paramref name="buyers"/> (<see cref="RichTopUp"/> each) raced for one exclusive <paramref name="lead"/>: one 201,
    /// every other answer 409 already_sold, one sale charge, the winner's price held and nobody else charged, and the ledger reconciles.
    /// </summary>
    public static async Task AssertOneExclusiveWinnerAsync(IAppNode app, List<TestUser> buyers, HttpResponseMessage[] responses, SubmittedLead lead)
    {
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("already_sold", (await loser.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal(1, await SaleChargesForLeadAsync(app, lead.Id));
        var balances = new List<(long Available, long Held)>();
        foreach (var b in buyers) balances.Add(await BalanceAsync(b));
        Assert.Single(balances, b => b == (RichTopUp - lead.Price, lead.Price));
        Assert.Equal(buyers.Count - 1, balances.Count(b => b == (RichTopUp, 0L)));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    /// <summary>The buyer's inbox (GET /api/v1/purchases with the query), 200 asserted.</summary>
    public static async Task<JsonElement> PurchasesAsync(HttpClient advertiser, string query = "") =>
        await (await advertiser.GetAsync("/api/v1/purchases" + query)).ExpectJsonAsync(HttpStatusCode.OK);

    /// <summary>The lead ids the catalog lists for the niche.</summary>
    public static async Task<List<Guid>> CatalogLeadIdsAsync(HttpClient advertiser, string niche)
    {
        var catalog = await (await advertiser.GetAsync($"/api/v1/catalog?niche={niche}&pageSize=200")).ExpectJsonAsync(HttpStatusCode.OK);
        return catalog.Items().Select(i => Guid.Parse(i.Str("leadId"))).ToList();
    }

    public static Task<HttpResponseMessage> BuyAsync(HttpClient advertiser, Guid leadId, bool exclusive) =>
        advertiser.PostJsonAsync($"/api/v1/catalog/{leadId}/buy", new { exclusive });

    /// <summary>The next instant after <paramref name="after"/> when the wall clock in <paramref name="zone"/> shows <paramref name="hour"/>:00 on one of <paramref name="days"/>.</summary>
    public static DateTime NextLocal(DateTime after, string zone, int hour, params DayOfWeek[] days)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(after, DateTimeKind.Utc), tz).Date;
        for (var day = local; ; day = day.AddDays(1))
        {
            var candidate = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.AddHours(hour), DateTimeKind.Unspecified), tz);
            if (candidate > after && days.Contains(day.DayOfWeek)) return candidate;
        }
    }

    public static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
}
