using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace LeadExchange.IntegrationTests.Platform;

/// <summary>The app as the README's run command starts it: demo data with sample activity (other tests turn it off).</summary>
public abstract class DemoActivityFactory(TestDatabase database) : LeadExchangeFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:SampleActivity", "true");
    }
}

public sealed class DemoActivitySqliteFactory() : DemoActivityFactory(TestDatabase.Sqlite);

public sealed class DemoActivityPostgreSqlFactory() : DemoActivityFactory(TestDatabase.PostgreSql);

public abstract class DemoActivityTests(DemoActivityFactory factory)
{
    [Fact]
    public async Task FreshDemo_WhenStarted_EveryRoleHasSomethingToSeeAndTheLedgerBalances()
    {
        var advertiser = await factory.DemoClientAsync("advertiser");
        var catalog = await (await advertiser.GetAsync("/api/v1/catalog")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, catalog.GetProperty("total").GetInt32());
        Assert.DoesNotContain("+7916", catalog.GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var purchases = await (await advertiser.GetAsync("/api/v1/purchases")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, purchases.GetProperty("total").GetInt32());
        Assert.All(purchases.GetProperty("items").EnumerateArray(), p => Assert.False(string.IsNullOrEmpty(p.GetProperty("contact").Str("phone"))));

        var orders = await (await advertiser.GetAsync("/api/v1/lead-orders")).ExpectJsonAsync(HttpStatusCode.OK);
        var order = Assert.Single(orders.GetProperty("items").EnumerateArray());
        Assert.Equal("paused", order.Str("status"));

        var moderator = await factory.DemoClientAsync("moderator");
        var queue = await (await moderator.GetAsync("/api/v1/disputes?status=open")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, queue.GetProperty("total").GetInt32());

        var admin = await factory.DemoClientAsync("admin");
        var reconciliation = await (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(reconciliation.GetProperty("balanced").GetBoolean(), reconciliation.GetRawText());
    }
}

public sealed class DemoActivityTests_Sqlite(DemoActivitySqliteFactory factory) : DemoActivityTests(factory), IClassFixture<DemoActivitySqliteFactory>;

public sealed class DemoActivityTests_PostgreSql(DemoActivityPostgreSqlFactory factory) : DemoActivityTests(factory), IClassFixture<DemoActivityPostgreSqlFactory>;
