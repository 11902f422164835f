using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Pricing;

/// <summary>The quote, forecast and funnel routes on the seeded price tables (RUB; legal services Moscow 600 vs Murmansk 100).</summary>
public abstract class PricingQuoteTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task Quote_WhenSeededLegalMoscowAndMurmansk_MoscowCostsSixTimesMurmansk()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        // May: legal's season factor is 1.0, so these are the seed article's figures exactly.
        var moscow = await PricingApi.QuoteAsync(webmaster.Client, "legal", "RU-MOW", "warm", 5);
        var murmansk = await PricingApi.QuoteAsync(webmaster.Client, "legal", "RU-MUR", "warm", 5);

        Assert.Equal(600_00, moscow.Price());
        Assert.Equal(100_00, murmansk.Price());
        Assert.Equal(6.0m, decimal.Round(moscow.Price() / (decimal)murmansk.Price(), 1));
        // The ratio holds in any month and temperature (both sides get the same season and temperature factors).
        var hotDecemberMoscow = await PricingApi.QuoteAsync(webmaster.Client, "legal", "RU-MOW", "hot", 12);
        var hotDecemberMurmansk = await PricingApi.QuoteAsync(webmaster.Client, "legal", "RU-MUR", "hot", 12);
        Assert.Equal(6.0m, decimal.Round(hotDecemberMoscow.Price() / (decimal)hotDecemberMurmansk.Price(), 1));
    }

    [Fact]
    public async Task Quote_WhenValid_ReturnsThePriceWithItsBreakdown()
    {
        var advertiser = await factory.RegisterAsync("advertiser");

        var quote = await PricingApi.QuoteAsync(advertiser.Client, "credit", "RU-MOW", "hot", 12);

        Assert.Equal("credit", quote.Str("niche"));
        Assert.Equal("RU-MOW", quote.Str("region"));
        Assert.Equal("Moscow", quote.Str("regionName"));
        Assert.Equal("hot", quote.Str("temperature"));
        Assert.Equal(12, quote.GetProperty("month").GetInt32());
        Assert.Equal("RUB", quote.Str("currency"));
        var b = quote.Breakdown();
        Assert.Equal(750_00, b.GetProperty("base").GetInt64());
        Assert.Equal(2.0m, b.Factor("geo"));
        Assert.Equal("RU-MOW", b.Str("geoRegion"));
        Assert.Equal("*", b.Str("geoNiche"));
        Assert.False(b.GetProperty("geoInherited").GetBoolean());
        Assert.Equal(1.3m, b.Factor("season"));
        Assert.Equal(1.5m, b.Factor("temperature"));
        Assert.Equal(1.0m, b.Factor("demand"));
        // 750 x 2.0 x 1.3 x 1.5 = 2,925 RUB, inside 300..3,000
        Assert.Equal(2_925_00, b.GetProperty("unclamped").GetInt64());
        Assert.Equal(300_00, b.GetProperty("floor").GetInt64());
        Assert.Equal(3_000_00, b.GetProperty("ceiling").GetInt64());
        Assert.Equal(2_925_00, b.GetProperty("price").GetInt64());
        Assert.False(b.GetProperty("clamped").GetBoolean());
        Assert.Equal(2_925_00, quote.Price());
    }

    [Fact]
    public async Task Quote_WhenRegionHasNoOwnFactor_InheritsTheCountrysFactor()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var quote = await PricingApi.QuoteAsync(webmaster.Client, "auto", "RU-UD", "warm", 7);

        var b = quote.Breakdown();
        Assert.Equal(0.9m, b.Factor("geo"));
        Assert.Equal("RU", b.Str("geoRegion"));
        Assert.True(b.GetProperty("geoInherited").GetBoolean());
        Assert.Equal(630_00, quote.Price()); // 700 x 0.9 x 1.0 (July)
    }

    [Fact]
    public async Task Quote_WhenAboveTheCeilingOrBelowTheFloor_IsClampedAndSaysSo()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        // real estate in New York, hot, April: 2,500 x 5.0 x 1.2 x 1.5 = 22,500 RUB, ceiling 10,000
        var high = await PricingApi.QuoteAsync(webmaster.Client, "real-estate", "US-NY", "hot", 4);
        Assert.Equal(22_500_00, high.Breakdown().GetProperty("unclamped").GetInt64());
        Assert.Equal(10_000_00, high.Price());
        Assert.True(high.Breakdown().GetProperty("clamped").GetBoolean());

        // education in Belarus, cold, June: 350 x 0.5 x 0.8 x 0.6 = 84 RUB, floor 50: not clamped
        var low = await PricingApi.QuoteAsync(webmaster.Client, "education", "BY", "cold", 6);
        Assert.Equal(84_00, low.Price());
        Assert.False(low.Breakdown().GetProperty("clamped").GetBoolean());
    }

    [Fact]
    public async Task Quote_WhenTemperatureAndMonthOmitted_UsesWarmAndTheCurrentUtcMonth()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var quote = await PricingApi.QuoteAsync(webmaster.Client, "legal", "RU-MOW", temperature: null);

        Assert.Equal("warm", quote.Str("temperature"));
        Assert.Equal(TestTime.UtcNow.Month, quote.GetProperty("month").GetInt32());
    }

    [Fact]
    public async Task Quote_WhenEveryInputIsBad_Returns422WithAnErrorPerField()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var errors = await (await webmaster.Client.GetAsync("/api/v1/pricing/quote?niche=no-such-niche&region=XX-ZZZ&temperature=boiling&month=13"))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("niche");
        errors.AssertHasError("region");
        errors.AssertHasError("temperature");
        errors.AssertHasError("month");
    }

    [Theory]
    [InlineData("region=RU-MOW", "niche")]
    [InlineData("niche=legal", "region")]
    [InlineData("niche=legal&region=RU-MOW&month=0", "month")]
    [InlineData("niche=legal&region=RU-MOW&month=may", "month")]
    [InlineData("niche=legal&region=RU-MOW&temperature=2", "temperature")]
    public async Task Quote_WhenOneInputIsMissingOrBad_Returns422ForThatField(string query, string field)
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var errors = await (await webmaster.Client.GetAsync("/api/v1/pricing/quote?" + query)).ExpectValidationErrorsAsync();

        errors.AssertHasError(field);
        Assert.Single(errors);
    }

    [Fact]
    public async Task Quote_WhenNotSignedIn_Returns401()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var response = await anonymous.GetAsync("/api/v1/pricing/quote?niche=legal&region=RU-MOW");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Recompute_WhenThereIsNoOrderBookYet_KeepsDemandAtOne()
    {
        var admin = await factory.DemoClientAsync("admin");

        await (await admin.PostAsync("/api/v1/admin/pricing/demand/recompute", null)).ExpectJsonAsync(HttpStatusCode.OK);

        var demand = await (await admin.GetAsync("/api/v1/admin/pricing/demand")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.All(demand.EnumerateArray(), d => Assert.Equal(1.0m, d.Factor("factor")));
        var quote = await PricingApi.QuoteAsync(admin, "legal", "RU-MOW", "warm", 5);
        Assert.Equal(1.0m, quote.Breakdown().Factor("demand"));
    }

    [Fact]
    public async Task Forecast_WhenNoSupplyData_BuysWhatTheBudgetShareAffordsAndSaysSo()
    {
        var advertiser = await factory.RegisterAsync("advertiser");

        var forecast = await (await advertiser.Client.GetAsync(
            "/api/v1/pricing/forecast?niche=legal&regions=RU-MOW,RU-MUR&monthlyBudget=1200000&month=5&temperature=warm")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.False(forecast.GetProperty("hasSupplyData").GetBoolean());
        var rows = forecast.GetProperty("rows").EnumerateArray().ToDictionary(r => r.Str("region"));
        // 12,000 RUB split evenly: 6,000 RUB buys 10 Moscow leads at 600 and 60 Murmansk leads at 100.
        Assert.Equal(600_00, rows["RU-MOW"].GetProperty("price").GetInt64());
        Assert.Equal(10, rows["RU-MOW"].GetProperty("expectedLeads").GetInt64());
        Assert.Equal(60, rows["RU-MUR"].GetProperty("expectedLeads").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rows["RU-MUR"].GetProperty("recentSupplyPerMonth").ValueKind);
        Assert.Equal(70, forecast.GetProperty("expectedLeads").GetInt64());
        Assert.Equal(1_200_000, forecast.GetProperty("spend").GetInt64());
    }

    [Fact]
    public async Task Forecast_WhenInputsMissing_Returns422PerFieldAndWebmastersAreRefused()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var errors = await (await advertiser.Client.GetAsync("/api/v1/pricing/forecast?niche=legal&regions=XX-YY")).ExpectValidationErrorsAsync();
        errors.AssertHasError("regions");
        errors.AssertHasError("monthlyBudget");

        var webmaster = await factory.RegisterAsync("webmaster");
        var refused = await webmaster.Client.GetAsync("/api/v1/pricing/forecast?niche=legal&regions=RU-MOW&monthlyBudget=100000");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Funnel_WhenSeedExample_50000VisitsGive5000LeadsAnd500Clients()
    {
        var advertiser = await factory.RegisterAsync("advertiser");

        var funnel = await (await advertiser.Client.GetAsync(
            "/api/v1/pricing/funnel?visits=50000&siteConversionPercent=10&closeRatePercent=10&costPerLead=5000&marginPerClient=200000"))
            .ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(5_000, funnel.GetProperty("leads").GetInt64());
        Assert.Equal(500, funnel.GetProperty("clients").GetInt64());
        Assert.Equal(500_00, funnel.GetProperty("costPerClient").GetInt64());
        Assert.Equal(300m, funnel.GetProperty("roiPercent").GetDecimal());

        var errors = await (await advertiser.Client.GetAsync("/api/v1/pricing/funnel?visits=100&siteConversionPercent=150&closeRatePercent=10"))
            .ExpectValidationErrorsAsync();
        errors.AssertHasError("siteConversionPercent");
        errors.AssertHasError("costPerLead");
    }

    [Fact]
    public async Task QuotePage_WhenSignedInAndAsked_ShowsThePriceAndBadFieldsBesideThem()
    {
        using var browser = await PricingApi.SignInAsync(factory, "webmaster@demo.test");

        var html = await (await browser.GetAsync("/Prices?Form.Niche=legal&Form.Region=RU-MUR&Form.Temperature=warm&Form.Month=5"))
            .ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("100.00 RUB", html);

        var bad = await (await browser.GetAsync("/Prices?Form.Niche=legal&Form.Region=XX-ZZZ&Form.Month=5")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Matches("data-valmsg-for=\"Form.Region\"[^>]*>Unknown region", bad);
    }

    [Fact]
    public async Task ForecastPage_WhenAdvertiserAsks_ShowsLeadsAndTheFunnel()
    {
        using var browser = await PricingApi.SignInAsync(factory, "advertiser@demo.test");

        var html = await (await browser.GetAsync(
            "/Advertiser/Forecast?Form.Niche=legal&Form.Regions=RU-MOW&Form.Budget=6000&Form.Month=5&Form.Temperature=warm" +
            "&Funnel.Visits=50000&Funnel.SiteConversionPercent=10&Funnel.CloseRatePercent=10&Funnel.CostPerLead=&Funnel.MarginPerClient=2000"))
            .ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("No supply data yet", html);
        Assert.Contains("<strong>10</strong> leads a month", html);
        Assert.Contains("<strong>5,000</strong> leads", html);
        Assert.Contains("<strong>500</strong> clients", html);
    }
}

public sealed class PricingQuoteTests_Sqlite(SqliteFactory factory) : PricingQuoteTests(factory), IClassFixture<SqliteFactory>;

public sealed class PricingQuoteTests_PostgreSql(PostgreSqlFactory factory) : PricingQuoteTests(factory), IClassFixture<PostgreSqlFactory>;
