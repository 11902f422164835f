using System.Net;
using LeadExchange.Application.Pricing;
using LeadExchange.Domain.Pricing;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Pricing;

/// <summary>
/// The order book port stand-in: what the real one will report once lead orders and intake exist. Tests set the
/// signals, then recompute through the admin API.
/// </summary>
public sealed class FakeDemandSignals : IDemandSignalSource
{
    private volatile IReadOnlyList<DemandSignals> _signals = [];
    private volatile IReadOnlyDictionary<string, int> _supply = new Dictionary<string, int>();

    public void Set(IReadOnlyList<DemandSignals> signals, IReadOnlyDictionary<string, int>? supply = null)
    {
        _signals = signals;
        _supply = supply ?? new Dictionary<string, int>();
    }

    public Task<IReadOnlyList<DemandSignals>> LoadAsync(DateTime since, CancellationToken ct) => Task.FromResult(_signals);

    public Task<IReadOnlyDictionary<string, int>> RecentSupplyAsync(string nicheCode, IReadOnlyCollection<string> regionCodes, DateTime since, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(_supply.Where(s => regionCodes.Contains(s.Key)).ToDictionary());
}

/// <summary>The app with <see cref="FakeDemandSignals"/> as its order book and the background jobs off (tests recompute themselves).</summary>
public abstract class DemandFactory(TestDatabase database) : LeadExchangeFactory(database)
{
    public FakeDemandSignals Signals { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:Enabled", "false");
        builder.ConfigureTestServices(services => services.AddSingleton<IDemandSignalSource>(Signals));
    }
}

public sealed class DemandSqliteFactory() : DemandFactory(TestDatabase.Sqlite);

public sealed class DemandPostgreSqlFactory() : DemandFactory(TestDatabase.PostgreSql);

/// <summary>Demand from buy orders against supply: bounded to 0.8..1.5, 1.0 without signals, safe to recompute in parallel.</summary>
public abstract class PricingDemandTests(DemandFactory factory)
{
    private static DemandSignals Signal(string niche, string region, int orders, long maxPrice, int? dailyCap, int supply) =>
        new(niche, region, Enumerable.Range(0, orders).Select(_ => new BuyOrderSignal(maxPrice, dailyCap)).ToList(), supply);

    private async Task<(HttpClient Admin, Dictionary<(string, string), decimal> Demand)> RecomputeAsync()
    {
        var admin = await factory.DemoClientAsync("admin");
        await (await admin.PostAsync("/api/v1/admin/pricing/demand/recompute", null)).ExpectJsonAsync(HttpStatusCode.OK);
        var rows = await (await admin.GetAsync("/api/v1/admin/pricing/demand")).ExpectJsonAsync(HttpStatusCode.OK);
        return (admin, rows.EnumerateArray().ToDictionary(r => (r.Str("niche"), r.Str("region")), r => r.Factor("factor")));
    }

    [Fact]
    public async Task Recompute_WhenOrdersFarOutbidScarceSupplyOrSupplyHasNoBuyers_BoundsDemandAndQuotesFollow()
    {
        factory.Signals.Set(
        [
            Signal("medical", "RU-SPE", orders: 40, maxPrice: 50_000_00, dailyCap: null, supply: 0),
            Signal("medical", "RU-KDA", orders: 0, maxPrice: 0, dailyCap: null, supply: 50_000),
        ]);

        var (admin, demand) = await RecomputeAsync();

        Assert.Equal(1.5m, demand[("medical", "RU-SPE")]);
        Assert.Equal(0.8m, demand[("medical", "RU-KDA")]);
        // medical, St Petersburg (1.6), warm, May (1.0): 600 x 1.6 = 960 RUB, x 1.5 demand = 1,440 RUB
        var high = await PricingApi.QuoteAsync(admin, "medical", "RU-SPE", "warm", 5);
        Assert.Equal(1.5m, high.Breakdown().Factor("demand"));
        Assert.Equal(1_440_00, high.Price());
        // Krasnodar (1.1): 660 RUB, x 0.8 = 528 RUB
        Assert.Equal(528_00, (await PricingApi.QuoteAsync(admin, "medical", "RU-KDA", "warm", 5)).Price());
        // Pairs without signals stay at 1.0.
        Assert.Equal(1.0m, (await PricingApi.QuoteAsync(admin, "medical", "RU-MOW", "warm", 5)).Breakdown().Factor("demand"));
    }

    [Fact]
    public async Task Recompute_WhenSignalsDisappear_ResetsDemandToOne()
    {
        factory.Signals.Set([Signal("travel", "RU-SAM", orders: 5, maxPrice: 5_000_00, dailyCap: 50, supply: 1)]);
        var (_, before) = await RecomputeAsync();
        Assert.True(before[("travel", "RU-SAM")] > 1.0m);

        factory.Signals.Set([]);
        var (admin, after) = await RecomputeAsync();

        Assert.Equal(1.0m, after[("travel", "RU-SAM")]);
        Assert.Equal(1.0m, (await PricingApi.QuoteAsync(admin, "travel", "RU-SAM", "warm", 5)).Breakdown().Factor("demand"));
    }

    [Fact]
    public async Task Recompute_WhenRunByManyNodesAtOnce_WritesOneBoundedRowPerPair()
    {
        factory.Signals.Set(
        [
            Signal("auto", "RU-TUL", orders: 3, maxPrice: 2_000_00, dailyCap: 20, supply: 7),
            Signal("auto", "RU-YAR", orders: 1, maxPrice: 100_00, dailyCap: 1, supply: 700),
        ]);
        var admin = await factory.DemoClientAsync("admin");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.PostAsync("/api/v1/admin/pricing/demand/recompute", null)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var rows = (await (await admin.GetAsync("/api/v1/admin/pricing/demand?niche=auto")).ExpectJsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Single(rows, r => r.Str("region") == "RU-TUL");
        Assert.Single(rows, r => r.Str("region") == "RU-YAR");
        Assert.All(rows, r => Assert.InRange(r.Factor("factor"), 0.8m, 1.5m));
        Assert.Equal(1.5m, rows.Single(r => r.Str("region") == "RU-TUL").Factor("factor"));
        Assert.Equal(0.8m, rows.Single(r => r.Str("region") == "RU-YAR").Factor("factor"));
    }

    [Fact]
    public async Task Forecast_WhenRegionsHaveRecentSupply_CapsExpectedLeadsBySupply()
    {
        // 70 leads in 7 days = 300 a month in Samara; none known for Saratov.
        factory.Signals.Set([], new Dictionary<string, int> { ["RU-SAM"] = 70 });
        var advertiser = await factory.RegisterAsync("advertiser");

        var forecast = await (await advertiser.Client.GetAsync(
            "/api/v1/pricing/forecast?niche=education&regions=RU-SAM&regions=RU-SAR&monthlyBudget=100000000&month=5")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.True(forecast.GetProperty("hasSupplyData").GetBoolean());
        var rows = forecast.GetProperty("rows").EnumerateArray().ToDictionary(r => r.Str("region"));
        Assert.Equal(300, rows["RU-SAM"].GetProperty("recentSupplyPerMonth").GetInt32());
        Assert.Equal(300, rows["RU-SAM"].GetProperty("expectedLeads").GetInt64());
        Assert.True(rows["RU-SAM"].GetProperty("supplyLimited").GetBoolean());
        // Saratov (inherits 0.9): 350 x 0.9 x 0.9 (May) = 283.50 RUB; 500,000 RUB buys 1,763 of them.
        Assert.Equal(283_50, rows["RU-SAR"].GetProperty("price").GetInt64());
        Assert.Equal(1_763, rows["RU-SAR"].GetProperty("expectedLeads").GetInt64());
        Assert.False(rows["RU-SAR"].GetProperty("supplyLimited").GetBoolean());
    }
}

public sealed class PricingDemandTests_Sqlite(DemandSqliteFactory factory) : PricingDemandTests(factory), IClassFixture<DemandSqliteFactory>;

public sealed class PricingDemandTests_PostgreSql(DemandPostgreSqlFactory factory) : PricingDemandTests(factory), IClassFixture<DemandPostgreSqlFactory>;
