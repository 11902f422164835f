using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Offers;

/// <summary>Who may see and change what: other advertisers' offers, roles, and participations (IDOR checks).</summary>
public abstract class OwnershipTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task OfferRoutes_WhenAnotherAdvertisersOffer_Return404AndChangeNothing()
    {
        var owner = await factory.RegisterAsync("advertiser");
        var intruder = await factory.RegisterAsync("advertiser");
        var id = await OfferApi.CreateIdAsync(owner.Client, OfferApi.ValidBody("Owner's offer"));

        await (await intruder.Client.GetAsync($"/api/v1/offers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Client.PutJsonAsync($"/api/v1/offers/{id}", OfferApi.ValidBody("Hijacked")))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Client.PostJsonAsync($"/api/v1/offers/{id}/status", new { action = "pause" }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Client.PostJsonAsync($"/api/v1/offers/{id}/status", new { action = "archive" }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);

        var offer = await OfferApi.GetAsync(owner.Client, id);
        Assert.Equal("Owner's offer", offer.Str("title"));
        Assert.Equal("active", offer.Str("status"));
    }

    [Fact]
    public async Task ListOffers_WhenAdvertiser_ShowsOnlyOwnOffers()
    {
        var a = await factory.RegisterAsync("advertiser");
        var b = await factory.RegisterAsync("advertiser");
        var aOffer = await OfferApi.CreateIdAsync(a.Client, OfferApi.ValidBody());
        var bOffer = await OfferApi.CreateIdAsync(b.Client, OfferApi.ValidBody());

        var (ids, total, body) = await OfferApi.ListAsync(b.Client);

        Assert.Equal([bOffer], ids);
        Assert.Equal(1, total);
        Assert.All(body.Items(), o => Assert.Equal(b.UserId, o.Str("advertiserId")));
        Assert.DoesNotContain(aOffer, ids);
    }

    [Fact]
    public async Task CreateOffer_WhenWebmaster_Returns403AndCreatesNothing()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        await (await webmaster.Client.PostJsonAsync("/api/v1/offers", OfferApi.ValidBody("Webmaster's offer")))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);

        var (_, _, body) = await OfferApi.ListAsync(webmaster.Client, "?search=Webmaster%27s%20offer");
        Assert.Empty(body.Items());
    }

    [Fact]
    public async Task JoinOffer_WhenAdvertiser_Returns403()
    {
        var owner = await factory.RegisterAsync("advertiser");
        var other = await factory.RegisterAsync("advertiser");
        var id = await OfferApi.CreateIdAsync(owner.Client, OfferApi.ValidBody());

        await (await other.Client.PostAsync($"/api/v1/offers/{id}/join", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.Client.PostAsync($"/api/v1/offers/{id}/join", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Catalog_WhenWebmaster_ShowsActiveOffersButNotPausedOnesNotJoined()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var token = TestServices.ShortId();
        var active = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody($"Active {token}"));
        var paused = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody($"Paused {token}"));
        var archived = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody($"Archived {token}"));
        await OfferApi.SetStatusAsync(advertiser.Client, paused, "pause", "paused");
        await OfferApi.SetStatusAsync(advertiser.Client, archived, "archive", "archived");

        var (ids, total, _) = await OfferApi.ListAsync(webmaster.Client, $"?search={token}");

        Assert.Equal([active], ids);
        Assert.Equal(1, total);
        Assert.Equal("active", (await OfferApi.GetAsync(webmaster.Client, active)).Str("status"));
        await (await webmaster.Client.GetAsync($"/api/v1/offers/{paused}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await webmaster.Client.GetAsync($"/api/v1/offers/{archived}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        // Joining a paused offer is refused (409 "not accepting webmasters" today; 404 would do as well) and records nothing.
        var join = await webmaster.Client.PostAsync($"/api/v1/offers/{paused}/join", null);
        Assert.True(join.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound, $"Joining a paused offer answered {(int)join.StatusCode}.");
        Assert.False(await factory.WithDbAsync(db => db.OfferParticipations.AnyAsync(p => p.WebmasterId == webmaster.UserId)));
    }

    [Fact]
    public async Task Catalog_WhenJoinedOfferIsPaused_StaysVisibleToTheWebmasterWhoJoined()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var joined = await factory.RegisterAsync("webmaster");
        var stranger = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());
        await OfferApi.JoinAsync(joined.Client, id);

        await OfferApi.SetStatusAsync(advertiser.Client, id, "pause", "paused");

        var offer = await OfferApi.GetAsync(joined.Client, id);
        Assert.Equal("paused", offer.Str("status"));
        Assert.Equal("approved", offer.GetProperty("myParticipation").Str("status"));
        await (await stranger.Client.GetAsync($"/api/v1/offers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListParticipations_WhenAdvertiser_ShowsOnlyThoseInOwnOffersWithoutLinks()
    {
        var a = await factory.RegisterAsync("advertiser");
        var b = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var aOffer = await OfferApi.CreateIdAsync(a.Client, OfferApi.ValidBody());
        var bOffer = await OfferApi.CreateIdAsync(b.Client, OfferApi.ValidBody());
        var aJoin = await OfferApi.JoinAsync(webmaster.Client, aOffer);
        var bJoin = await OfferApi.JoinAsync(webmaster.Client, bOffer);

        var aList = await (await a.Client.GetAsync("/api/v1/participations")).ExpectJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(aList.Items());
        Assert.Equal(aJoin.Str("participationId"), item.Str("id"));
        Assert.Equal(aOffer, item.Str("offerId"));
        Assert.Equal(webmaster.UserId, item.Str("webmasterId"));
        Assert.True(item.IsNull("linkCode"), "An advertiser must not see webmasters' link codes.");
        Assert.True(item.IsNull("trackingUrl"));

        // Asking for the other advertiser's offer explicitly gives nothing either.
        var probe = await (await a.Client.GetAsync($"/api/v1/offers/{bOffer}/participations")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, probe.GetProperty("total").GetInt32());
        var probe2 = await (await a.Client.GetAsync($"/api/v1/participations?offerId={bOffer}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(probe2.Items());

        var bList = await (await b.Client.GetAsync("/api/v1/participations")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal([bJoin.Str("participationId")], bList.Items().Select(p => p.Str("id")).ToArray());
    }

    [Fact]
    public async Task DecideParticipation_WhenAnotherAdvertisersOffer_Returns404AndStaysPending()
    {
        var owner = await factory.RegisterAsync("advertiser");
        var intruder = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(owner.Client, OfferApi.ValidBody(access: "approvalRequired"));
        var join = await OfferApi.JoinAsync(webmaster.Client, id);
        Assert.Equal("pending", join.Str("status"));

        await (await intruder.Client.PostJsonAsync($"/api/v1/participations/{join.Str("participationId")}/decision", new { approve = true }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);

        var offer = await OfferApi.GetAsync(webmaster.Client, id);
        Assert.Equal("pending", offer.GetProperty("myParticipation").Str("status"));
        Assert.True(offer.GetProperty("myParticipation").IsNull("trackingUrl"));
    }

    [Fact]
    public async Task DecideParticipation_WhenWebmasterTriesToApproveThemself_Returns403()
    {
        var owner = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(owner.Client, OfferApi.ValidBody(access: "approvalRequired"));
        var join = await OfferApi.JoinAsync(webmaster.Client, id);

        await (await webmaster.Client.PostJsonAsync($"/api/v1/participations/{join.Str("participationId")}/decision", new { approve = true }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("pending", (await OfferApi.GetAsync(webmaster.Client, id)).GetProperty("myParticipation").Str("status"));
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/users")]
    [InlineData("POST", "/api/v1/admin/regions")]
    [InlineData("PUT", "/api/v1/admin/niches/credit")]
    public async Task AdminRoutes_WhenWebmaster_Return403(string method, string url)
    {
        var webmaster = await factory.RegisterAsync("webmaster");
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET")
            request.Content = System.Net.Http.Json.JsonContent.Create(new { code = "DE-ZZ", name = "Nowhere", parentCode = "DE" });

        await (await webmaster.Client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SetRole_WhenWebmasterGrantsThemselfAdmin_Returns403AndRoleUnchanged()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        await (await webmaster.Client.PostJsonAsync($"/api/v1/admin/users/{webmaster.UserId}/roles", new { role = "Admin", granted = true }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);

        await (await webmaster.Client.GetAsync("/api/v1/admin/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class OwnershipTests_Sqlite(SqliteFactory factory) : OwnershipTests(factory), IClassFixture<SqliteFactory>;

public sealed class OwnershipTests_PostgreSql(PostgreSqlFactory factory) : OwnershipTests(factory), IClassFixture<PostgreSqlFactory>;
