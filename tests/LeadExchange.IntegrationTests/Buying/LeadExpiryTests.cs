using System.Net;
using LeadExchange.Application.Buying;
using LeadExchange.Domain.Leads;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>
/// Unsold leads leave the catalog after the niche's expiry (14 days here): the job marks them expired, shared
/// leads with buyers as sold, and a late buy is refused. Its own class: it moves the clock two weeks on.
/// </summary>
public abstract class LeadExpiryTests(PostbackFactory app)
{
    [Fact]
    public async Task ExpireJob_WhenExpiryPassed_ExpiresUnsoldClosesSharedWithBuyersAndRefusesLateBuys()
    {
        var niche = await BuyingApi.NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var unsold = await BuyingApi.SubmitLeadAsync(webmaster.Client, niche);
        var shared = await BuyingApi.SubmitLeadAsync(webmaster.Client, niche);
        var buyer = await BuyingApi.AdvertiserAsync(app);
        await (await BuyingApi.BuyAsync(buyer.Client, shared.Id, exclusive: false)).ExpectJsonAsync(HttpStatusCode.Created);

        using (var scope = app.Services.CreateScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExpireLeadsCommand()));
        Assert.Contains(unsold.Id, await BuyingApi.CatalogLeadIdsAsync(buyer.Client, niche));

        app.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        using (var scope = app.Services.CreateScope())
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExpireLeadsCommand()));

        var statuses = await app.WithDbAsync(db => db.Leads.AsNoTracking().Where(l => l.Id == unsold.Id || l.Id == shared.Id)
            .ToDictionaryAsync(l => l.Id, l => l.Status));
        Assert.Equal(LeadStatus.Expired, statuses[unsold.Id]);
        Assert.Equal(LeadStatus.Sold, statuses[shared.Id]);
        Assert.Empty(await BuyingApi.CatalogLeadIdsAsync(buyer.Client, niche));
        var late = await BuyingApi.AdvertiserAsync(app);
        var refused = await (await BuyingApi.BuyAsync(late.Client, unsold.Id, exclusive: true)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("expired", refused.Str("code"));
    }
}

public sealed class LeadExpiryTests_Sqlite(PostbackSqliteFactory app) : LeadExpiryTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class LeadExpiryTests_PostgreSql(PostbackPostgreSqlFactory app) : LeadExpiryTests(app), IClassFixture<PostbackPostgreSqlFactory>;
