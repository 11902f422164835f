using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Pricing;

/// <summary>The real order book as demand input: active lead orders (a country covers its regions) against accepted leads.</summary>
public abstract class OrderBookDemandTests(LeadExchangeFactory factory)
{
    private async Task<Dictionary<(string, string), decimal>> RecomputeAsync()
    {
        var admin = await factory.DemoClientAsync("admin");
        await (await admin.PostAsync("/api/v1/admin/pricing/demand/recompute", null)).ExpectJsonAsync(HttpStatusCode.OK);
        var rows = await (await admin.GetAsync("/api/v1/admin/pricing/demand")).ExpectJsonAsync(HttpStatusCode.OK);
        return rows.EnumerateArray().ToDictionary(r => (r.Str("niche"), r.Str("region")), r => r.GetProperty("factor").GetDecimal());
    }

    [Fact]
    public async Task Recompute_WhenCountryOrderOutbidsTheListPrice_RaisesDemandInItsRegionsOnlyWhileActive()
    {
        var buyer = await factory.RegisterAsync("advertiser");
        var created = await (await buyer.Client.PostJsonAsync("/api/v1/lead-orders", new
        {
            name = "Demand probe", niche = "auto", regions = new[] { "KZ" }, maxPrice = 100_000_000, exclusive = false, timeZone = "UTC",
        })).ExpectJsonAsync(HttpStatusCode.Created);

        var demand = await RecomputeAsync();
        var kzRegions = demand.Where(d => d.Key.Item1 == "auto" && (d.Key.Item2 == "KZ" || d.Key.Item2.StartsWith("KZ-", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(kzRegions);
        Assert.All(kzRegions, d => Assert.True(d.Value > 1.0m, $"{d.Key} demand {d.Value}"));
        Assert.All(kzRegions, d => Assert.True(d.Value <= 1.5m));

        var id = created.Str("id");
        await (await buyer.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", new
        {
            name = "Demand probe", niche = "auto", regions = new[] { "KZ" }, maxPrice = 100_000_000, exclusive = false, timeZone = "UTC", active = false,
        })).ExpectJsonAsync(HttpStatusCode.OK);
        var after = await RecomputeAsync();
        Assert.All(kzRegions, d => Assert.Equal(1.0m, after.GetValueOrDefault(d.Key, 1.0m)));
    }
}

public sealed class OrderBookDemandTests_Sqlite(SqliteFactory factory) : OrderBookDemandTests(factory), IClassFixture<SqliteFactory>;

public sealed class OrderBookDemandTests_PostgreSql(PostgreSqlFactory factory) : OrderBookDemandTests(factory), IClassFixture<PostgreSqlFactory>;
