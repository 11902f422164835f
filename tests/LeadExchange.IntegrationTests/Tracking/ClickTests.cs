using System.Net;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Tracking;
using LeadExchange.Infrastructure.Tracking;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadExchange.IntegrationTests.Tracking;

public abstract class ClickTests(ClickFactory factory)
{
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private const string Landing = "https://landing.example/go?cid={click_id}&o={offer_id}&w={webmaster_id}&s1={sub1}&s2={sub2}&s5={sub5}";

    private ClickWriter Writer => factory.Services.GetRequiredService<ClickWriter>();

    [Fact]
    public async Task Click_WhenLinkActive_RedirectsWithMacrosAndRecordsUniqueClick()
    {
        var link = await JoinedLinkAsync();
        var ip = ClickFactory.NextIp();

        var response = await ClickAsync(factory, link.Code, "?sub1=a%20b&sub2=x", Browser, ip, referrer: "https://source.example/page");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var location = response.Headers.Location!.OriginalString;
        var clickId = QueryValue(location, "cid");
        Assert.Equal(ClickId.Length, clickId.Length);
        Assert.True(ClickId.IsWellFormed(clickId));
        Assert.StartsWith("https://landing.example/go?", location, StringComparison.Ordinal);
        Assert.Equal(Guid.Parse(link.OfferId).ToString("N"), QueryValue(location, "o"));
        Assert.Equal(link.WebmasterId, Uri.UnescapeDataString(QueryValue(location, "w")));
        Assert.Contains("&s1=a%20b&", location, StringComparison.Ordinal);
        Assert.Contains("&s2=x&", location, StringComparison.Ordinal);
        Assert.EndsWith("&s5=", location, StringComparison.Ordinal);

        var click = Assert.Single(await WaitForClicksAsync(link.OfferId, 1));
        Assert.Equal(clickId, click.Id);
        Assert.Equal(Guid.Parse(link.ParticipationId), click.ParticipationId);
        Assert.Equal(link.WebmasterId, click.WebmasterId);
        Assert.Equal(link.AdvertiserId, click.AdvertiserId);
        Assert.Equal("a b", click.Sub1);
        Assert.Equal("x", click.Sub2);
        Assert.Null(click.Sub3);
        Assert.Equal(ip, click.Ip);
        Assert.Equal(Browser, click.UserAgent);
        Assert.Equal("https://source.example/page", click.Referrer);
        Assert.True(click.IsUnique);
        Assert.Null(click.FraudFlags);
        Assert.InRange(click.CreatedAt, factory.Clock.UtcNow.AddMinutes(-1), factory.Clock.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task Click_WhenSameVisitorClicksAgain_SecondIsNotUniqueButNotFlagged()
    {
        var link = await JoinedLinkAsync();
        var ip = ClickFactory.NextIp();

        await (await ClickAsync(factory, link.Code, "", Browser, ip)).ExpectStatusAsync(HttpStatusCode.Redirect);
        await (await ClickAsync(factory, link.Code, "", Browser, ip)).ExpectStatusAsync(HttpStatusCode.Redirect);
        // Another browser on the same IP is another visitor.
        await (await ClickAsync(factory, link.Code, "", Browser + " Edg/124.0", ip)).ExpectStatusAsync(HttpStatusCode.Redirect);

        var clicks = await WaitForClicksAsync(link.OfferId, 3);
        Assert.Equal(2, clicks.Count(c => c.IsUnique));
        Assert.Single(clicks, c => !c.IsUnique && c.UserAgent == Browser);
        Assert.All(clicks, c => Assert.Null(c.FraudFlags));
    }

    [Theory]
    [InlineData("curl/8.0")]
    [InlineData(null)]
    public async Task Click_WhenBotOrEmptyUserAgent_RedirectsButFlagsBotUa(string? userAgent)
    {
        var link = await JoinedLinkAsync();

        var response = await ClickAsync(factory, link.Code, "", userAgent, ClickFactory.NextIp());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var click = Assert.Single(await WaitForClicksAsync(link.OfferId, 1));
        Assert.Equal(ClickFraud.BotUserAgent, click.FraudFlags);
        Assert.False(click.IsUnique);
        Assert.Equal(QueryValue(response.Headers.Location!.OriginalString, "cid"), click.Id);
    }

    [Fact]
    public async Task Click_WhenIpBlocklisted_RedirectsButFlagsBlockedIp()
    {
        var link = await JoinedLinkAsync();
        var ip = ClickFactory.NextIp();
        await factory.WithDbAsync(async db =>
        {
            db.IpBlocklist.Add(new BlockedIp(ip, "test", TestTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        await factory.Services.GetRequiredService<IIpBlocklist>().RefreshAsync();

        await (await ClickAsync(factory, link.Code, "", Browser, ip)).ExpectStatusAsync(HttpStatusCode.Redirect);

        var click = Assert.Single(await WaitForClicksAsync(link.OfferId, 1));
        Assert.Equal(ClickFraud.BlockedIp, click.FraudFlags);
        Assert.False(click.IsUnique);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAA")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAA-")]
    public async Task Click_WhenCodeUnknownOrMalformed_Returns404AndRecordsNothing(string code)
    {
        var before = Writer.Enqueued;

        var response = await ClickAsync(factory, code, "?sub1=x", Browser, ClickFactory.NextIp());

        await response.ExpectStatusAsync(HttpStatusCode.NotFound);
        Assert.Null(response.Headers.Location);
        Assert.Equal(before, Writer.Enqueued);
    }

    [Fact]
    public async Task Click_WhenOfferPausedAfterLinkWasCached_Returns404AtOnceAndRecordsNothing()
    {
        var link = await JoinedLinkAsync();
        await (await ClickAsync(factory, link.Code, "", Browser, ClickFactory.NextIp())).ExpectStatusAsync(HttpStatusCode.Redirect);

        await OfferApi.SetStatusAsync(link.Advertiser.Client, link.OfferId, "pause", "paused");
        var before = Writer.Enqueued;
        var paused = await ClickAsync(factory, link.Code, "", Browser, ClickFactory.NextIp());

        await paused.ExpectStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, Writer.Enqueued);
        Assert.Single(await WaitForClicksAsync(link.OfferId, 1));

        await OfferApi.SetStatusAsync(link.Advertiser.Client, link.OfferId, "activate", "active");
        await (await ClickAsync(factory, link.Code, "", Browser, ClickFactory.NextIp())).ExpectStatusAsync(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Click_WhenParticipationPendingThenApproved_RedirectsOnlyAfterApproval()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var offerId = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody(access: "approvalRequired"));
        var participationId = (await OfferApi.JoinAsync(webmaster.Client, offerId)).Str("participationId");
        var participationGuid = Guid.Parse(participationId);
        var code = await factory.WithDbAsync(db => db.OfferParticipations.Where(p => p.Id == participationGuid).Select(p => p.LinkCode).SingleAsync());

        await (await ClickAsync(factory, code, "", Browser, ClickFactory.NextIp())).ExpectStatusAsync(HttpStatusCode.NotFound);
        await (await advertiser.Client.PostJsonAsync($"/api/v1/participations/{participationId}/decision", new { approve = true }))
            .ExpectStatusAsync(HttpStatusCode.OK);

        await (await ClickAsync(factory, code, "", Browser, ClickFactory.NextIp())).ExpectStatusAsync(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Click_When200ParallelClicks_Stores200RowsWithDistinctIds()
    {
        var link = await JoinedLinkAsync();
        var ip = ClickFactory.NextIp();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var response = await ClickAsync(factory, link.Code, $"?sub1=n{i}", Browser, ip);
            return (response.StatusCode, Location: response.Headers.Location?.OriginalString);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var redirectedIds = results.Select(r => QueryValue(r.Location!, "cid")).ToHashSet();
        Assert.Equal(200, redirectedIds.Count);
        var clicks = await WaitForClicksAsync(link.OfferId, 200);
        Assert.Equal(200, clicks.Count);
        Assert.True(redirectedIds.SetEquals(clicks.Select(c => c.Id)));
        Assert.Single(clicks, c => c.IsUnique);
        // 200 clicks from one IP on one offer in an hour is far over the threshold.
        Assert.Contains(clicks, c => c.FraudFlags == ClickFraud.IpOfferVelocity || c.FraudFlags == $"{ClickFraud.IpVelocity},{ClickFraud.IpOfferVelocity}");
    }

    [Fact]
    public async Task Click_WhenAppStopsGracefully_EveryQueuedClickIsWritten()
    {
        const int count = 30;
        var probe = new ShutdownProbeFactory(factory.Database);
        try
        {
            await probe.InitializeAsync();
            var link = await JoinedLinkAsync(probe);
            for (var i = 0; i < count; i++)
                await (await ClickAsync(probe, link.Code, $"?sub1={i}", Browser, ClickFactory.NextIp())).ExpectStatusAsync(HttpStatusCode.Redirect);
            // The probe's flush interval is long: nothing is written yet, so the rows below come from the stop.
            Assert.Equal(0, probe.Services.GetRequiredService<ClickWriter>().Written);
        }
        finally
        {
            await probe.DisposeAsync();
        }
        Assert.Equal(count, probe.ClicksAfterStop);
    }

    [Fact]
    public async Task FlushAsync_WhenBatchIsStillFilling_ReturnsOnceEveryEarlierClickIsStored()
    {
        var probe = new ShutdownProbeFactory(factory.Database);
        try
        {
            await probe.InitializeAsync();
            var link = await JoinedLinkAsync(probe);
            var queue = probe.Services.GetRequiredService<IClickQueue>();
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var response = await ClickAsync(probe, link.Code, $"?sub1={i}", Browser, ClickFactory.NextIp());
                await response.ExpectStatusAsync(HttpStatusCode.Redirect);
                ids.Add(QueryValue(response.Headers.Location!.OriginalString, "cid"));
            }
            // The probe's batches wait 30 s to fill: without the flush nothing would be written yet.
            Assert.Equal(0, probe.Services.GetRequiredService<ClickWriter>().Written);

            await queue.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(ids.Order(StringComparer.Ordinal), await StoredIdsAsync(probe, ids));
            // The writer keeps going after a flush: a later click is written by the next one, and an empty flush returns too.
            var later = await ClickAsync(probe, link.Code, "", Browser, ClickFactory.NextIp());
            await later.ExpectStatusAsync(HttpStatusCode.Redirect);
            ids.Add(QueryValue(later.Headers.Location!.OriginalString, "cid"));
            await queue.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await queue.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ids.Order(StringComparer.Ordinal), await StoredIdsAsync(probe, ids));
        }
        finally
        {
            await probe.DisposeAsync();
        }
    }

    [Fact]
    public async Task Writer_WhenOneClickOfABatchCannotBeWritten_WritesTheRestRowByRowAndDropsIt()
    {
        var probe = new ShutdownProbeFactory(factory.Database, batchAttempts: 1);
        try
        {
            await probe.InitializeAsync();
            var queue = probe.Services.GetRequiredService<IClickQueue>();
            var writer = probe.Services.GetRequiredService<ClickWriter>();
            var stored = NewClick();
            Assert.True(await queue.EnqueueAsync(stored));
            await queue.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var good = NewClick();

            // A click already in the table (say, written by an attempt whose answer was lost) fails the whole batch.
            Assert.True(await queue.EnqueueAsync(good));
            Assert.True(await queue.EnqueueAsync(stored));
            await queue.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, writer.FailedAttempts);
            Assert.Equal(2, writer.Written);
            Assert.Equal(1, writer.Dropped);
            Assert.Equal(new[] { stored.Id, good.Id }.Order(StringComparer.Ordinal), await StoredIdsAsync(probe, [stored.Id, good.Id]));
        }
        finally
        {
            await probe.DisposeAsync();
        }
    }

    private static Click NewClick() => Click.Record(Guid.NewGuid(), Guid.NewGuid(), "webmaster", "advertiser",
        ["s1", null, "s3"], ClickFactory.NextIp(), Browser, null, TestTime.UtcNow, new ClickVerdict(null, IsUnique: true));

    /// <summary>The ids among <paramref name="ids"/> that have a row, in ordinal order.</summary>
    private static async Task<List<string>> StoredIdsAsync(LeadExchangeFactory app, IReadOnlyCollection<string> ids) =>
        (await app.WithDbAsync(db => db.Clicks.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync()))
            .Order(StringComparer.Ordinal).ToList();

    private sealed record Link(string Code, string OfferId, string ParticipationId, string WebmasterId, string AdvertiserId, TestUser Advertiser);

    private Task<Link> JoinedLinkAsync() => JoinedLinkAsync(factory);

    private static async Task<Link> JoinedLinkAsync(LeadExchangeFactory app)
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var webmaster = await app.RegisterAsync("webmaster");
        var body = OfferApi.ValidBody();
        body["landingUrl"] = Landing;
        var offerId = await OfferApi.CreateIdAsync(advertiser.Client, body);
        var join = await OfferApi.JoinAsync(webmaster.Client, offerId);
        return new Link(join.Str("linkCode"), offerId, join.Str("participationId"), webmaster.UserId, advertiser.UserId, advertiser);
    }

    private static async Task<HttpResponseMessage> ClickAsync(LeadExchangeFactory app, string code, string query, string? userAgent, string ip,
        string? referrer = null)
    {
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{code}{query}");
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (referrer is not null) request.Headers.Referrer = new Uri(referrer);
        request.Headers.Add("X-Forwarded-For", ip);
        return await client.SendAsync(request);
    }

    /// <summary>Polls until the writer has stored <paramref name="expected"/> clicks for the offer (or 5 s pass).</summary>
    private async Task<List<Click>> WaitForClicksAsync(string offerId, int expected)
    {
        var offer = Guid.Parse(offerId);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var clicks = await factory.WithDbAsync(db => db.Clicks.AsNoTracking().Where(c => c.OfferId == offer).ToListAsync());
            if (clicks.Count >= expected || DateTime.UtcNow > deadline) return clicks;
            await Task.Delay(100);
        }
    }

    private static string QueryValue(string url, string name) =>
        new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == name)[1];
}

/// <summary>
/// The app with forwarded headers on (as in compose), so each test clicks from its own address
/// (X-Forwarded-For) and per-IP counters never leak between tests.
/// </summary>
public abstract class ClickFactory(TestDatabase database) : LeadExchangeFactory(database)
{
    private static int _lastIp;

    /// <summary>A fresh documentation-range address (198.18.0.0/15) per call.</summary>
    public static string NextIp()
    {
        var n = Interlocked.Increment(ref _lastIp);
        return $"198.{18 + (n >> 16 & 1)}.{n >> 8 & 255}.{n & 255}";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders_Enabled", "true");
    }
}

public sealed class ClickSqliteFactory() : ClickFactory(TestDatabase.Sqlite);

public sealed class ClickPostgreSqlFactory() : ClickFactory(TestDatabase.PostgreSql);

/// <summary>
/// The in-memory click writer alone (the Redis click stream off, as without Redis): batches wait 30 s to fill, so only the
/// graceful stop (or a flush) can write them; counts the rows once the app has stopped. <paramref name="batchAttempts"/>
/// below the default sends a failing batch row by row sooner.
/// </summary>
public sealed class ShutdownProbeFactory(TestDatabase database, int batchAttempts = 8) : ClickFactory(database)
{
    public int? ClicksAfterStop { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Tracking:ClickStream:Enabled", "false");
        builder.UseSetting("Tracking:ClickWriter:FlushIntervalMilliseconds", "30000");
        builder.UseSetting("Tracking:ClickWriter:BatchAttempts", batchAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override async Task AfterHostStoppedAsync()
    {
        // A fresh connection, not the app's services: they are disposed, and this is what a restart would see.
        if (Database == TestDatabase.Sqlite)
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT COUNT(*) FROM \"Clicks\"", connection);
            ClicksAfterStop = Convert.ToInt32(await command.ExecuteScalarAsync());
        }
        else
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM \"Clicks\"", connection);
            ClicksAfterStop = Convert.ToInt32(await command.ExecuteScalarAsync());
        }
    }
}

public sealed class ClickTests_Sqlite(ClickSqliteFactory factory) : ClickTests(factory), IClassFixture<ClickSqliteFactory>;

public sealed class ClickTests_PostgreSql(ClickPostgreSqlFactory factory) : ClickTests(factory), IClassFixture<ClickPostgreSqlFactory>;
