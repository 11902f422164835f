using System.Net;
using System.Text.Json;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Offers;

/// <summary>A webmaster joins offers: instant approval, approval by the advertiser, rejection, and parallel joins.</summary>
public abstract class JoinFlowTests(LeadExchangeFactory factory)
{
    private const string UrlSafeLinkCode = "^[A-Za-z0-9_-]{12}$";

    [Fact]
    public async Task JoinOffer_WhenOfferPublic_ReturnsApprovedWithTrackingLink()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());

        var join = await OfferApi.JoinAsync(webmaster.Client, id);

        Assert.Equal("approved", join.Str("status"));
        var linkCode = join.Str("linkCode");
        Assert.Matches(UrlSafeLinkCode, linkCode);
        Assert.EndsWith($"/c/{linkCode}", join.Str("trackingUrl"), StringComparison.Ordinal);
        Assert.True(Uri.IsWellFormedUriString(join.Str("trackingUrl"), UriKind.Absolute));

        var mine = (await OfferApi.GetAsync(webmaster.Client, id)).GetProperty("myParticipation");
        Assert.Equal("approved", mine.Str("status"));
        Assert.Equal(linkCode, mine.Str("linkCode"));
        Assert.Equal(join.Str("trackingUrl"), mine.Str("trackingUrl"));
    }

    [Fact]
    public async Task JoinOffer_WhenJoinedTwice_ReturnsSameLinkCodeAndOneRow()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());

        var first = await OfferApi.JoinAsync(webmaster.Client, id);
        var second = await OfferApi.JoinAsync(webmaster.Client, id);

        Assert.Equal(first.Str("linkCode"), second.Str("linkCode"));
        Assert.Equal(first.Str("participationId"), second.Str("participationId"));
        Assert.Equal(1, await CountParticipationsAsync(id, webmaster.UserId));
    }

    [Fact]
    public async Task JoinOffer_WhenTwoWebmastersJoin_EachGetsTheirOwnLinkCode()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var one = await factory.RegisterAsync("webmaster");
        var two = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());

        var a = await OfferApi.JoinAsync(one.Client, id);
        var b = await OfferApi.JoinAsync(two.Client, id);

        Assert.NotEqual(a.Str("linkCode"), b.Str("linkCode"));
    }

    [Fact]
    public async Task JoinOffer_WhenApprovalRequired_IsPendingWithoutLinkUntilAdvertiserApproves()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster", "Approved Webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody(access: "approvalRequired"));

        var join = await OfferApi.JoinAsync(webmaster.Client, id);
        Assert.Equal("pending", join.Str("status"));
        Assert.True(join.IsNull("linkCode"));
        Assert.True(join.IsNull("trackingUrl"));
        var pending = (await OfferApi.GetAsync(webmaster.Client, id)).GetProperty("myParticipation");
        Assert.Equal("pending", pending.Str("status"));
        Assert.True(pending.IsNull("linkCode"), "A pending participation must not reveal its link code.");
        Assert.True(pending.IsNull("trackingUrl"));

        // The advertiser sees the request in their queue and approves it.
        var queue = await (await advertiser.Client.GetAsync($"/api/v1/participations?offerId={id}&status=pending")).ExpectJsonAsync(HttpStatusCode.OK);
        var request = Assert.Single(queue.Items());
        Assert.Equal(join.Str("participationId"), request.Str("id"));
        Assert.Equal("Approved Webmaster", request.Str("webmasterName"));
        var decision = await (await advertiser.Client.PostJsonAsync($"/api/v1/participations/{request.Str("id")}/decision", new { approve = true }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("approved", decision.Str("status"));

        var approved = (await OfferApi.GetAsync(webmaster.Client, id)).GetProperty("myParticipation");
        Assert.Equal("approved", approved.Str("status"));
        Assert.Matches(UrlSafeLinkCode, approved.Str("linkCode"));
        Assert.EndsWith($"/c/{approved.Str("linkCode")}", approved.Str("trackingUrl"), StringComparison.Ordinal);
        var rejoin = await OfferApi.JoinAsync(webmaster.Client, id);
        Assert.Equal("approved", rejoin.Str("status"));
        Assert.Equal(approved.Str("linkCode"), rejoin.Str("linkCode"));

        var own = await (await webmaster.Client.GetAsync("/api/v1/participations")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(approved.Str("trackingUrl"), Assert.Single(own.Items()).Str("trackingUrl"));
    }

    [Fact]
    public async Task JoinOffer_WhenRejected_Returns409OnRejoin()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody(access: "approvalRequired"));
        var join = await OfferApi.JoinAsync(webmaster.Client, id);

        var decision = await (await advertiser.Client.PostJsonAsync($"/api/v1/participations/{join.Str("participationId")}/decision",
            new { approve = false, note = "Traffic sources do not fit." })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", decision.Str("status"));

        var problem = await (await webmaster.Client.PostAsync($"/api/v1/offers/{id}/join", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("join_rejected", problem.Str("code"));
        var mine = (await OfferApi.GetAsync(webmaster.Client, id)).GetProperty("myParticipation");
        Assert.Equal("rejected", mine.Str("status"));
        Assert.Equal("Traffic sources do not fit.", mine.Str("decisionNote"));
        Assert.True(mine.IsNull("trackingUrl"));
        Assert.Equal(1, await CountParticipationsAsync(id, webmaster.UserId));
    }

    [Fact]
    public async Task JoinOffer_When20ParallelJoinsBySameWebmaster_CreatesOneParticipationWithOneLinkCode()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var response = await webmaster.Client.PostAsync($"/api/v1/offers/{id}/join", null);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, await CountParticipationsAsync(id, webmaster.UserId));
        var successes = results.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.NotEmpty(successes);
        var linkCodes = successes.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("linkCode").GetString()).Distinct().ToList();
        Assert.Single(linkCodes);
        var offerGuid = Guid.Parse(id);
        var stored = await factory.WithDbAsync(db => db.OfferParticipations.AsNoTracking()
            .Where(p => p.OfferId == offerGuid && p.WebmasterId == webmaster.UserId).Select(p => p.LinkCode).SingleAsync());
        Assert.Equal(stored, linkCodes[0]);
        // Losers of the race get a retryable conflict, never a server error.
        foreach (var failure in results.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.True(failure.StatusCode == HttpStatusCode.Conflict, $"A parallel join answered {(int)failure.StatusCode}: {failure.Body}");
            Assert.Equal("concurrent_change", JsonDocument.Parse(failure.Body).RootElement.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task JoinOffer_WhenOfferUnknown_Returns404()
    {
        var webmaster = await factory.RegisterAsync("webmaster");
        await (await webmaster.Client.PostAsync($"/api/v1/offers/{Guid.NewGuid()}/join", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private Task<int> CountParticipationsAsync(string offerId, string webmasterId)
    {
        var offerGuid = Guid.Parse(offerId);
        return factory.WithDbAsync(db => db.OfferParticipations.CountAsync(p => p.OfferId == offerGuid && p.WebmasterId == webmasterId));
    }
}

public sealed class JoinFlowTests_Sqlite(SqliteFactory factory) : JoinFlowTests(factory), IClassFixture<SqliteFactory>;

public sealed class JoinFlowTests_PostgreSql(PostgreSqlFactory factory) : JoinFlowTests(factory), IClassFixture<PostgreSqlFactory>;
