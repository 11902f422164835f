using System.Net;
using LeadExchange.Domain.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Conversions;

/// <summary>API.md "Webmaster outbound postback": template, macros, firing on each status change, retries, auto-disable, delivery log.</summary>
public abstract class WebmasterPostbackTests(PostbackFactory app) : IAsyncLifetime
{
    private PostbackReceiver _tracker = null!;

    public async Task InitializeAsync() => _tracker = await PostbackReceiver.StartAsync();

    public async Task DisposeAsync() => await _tracker.DisposeAsync();

    private string Template => _tracker.BaseUrl + "/pb?cid={sub1}&click={click_id}&payout={payout}&cur={currency}&status={status}&goal={goal}&conv={conversion_id}&tx={txid}&offer={offer_id}";

    [Fact]
    public async Task Settings_RejectBadTemplates_WithFieldErrors()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        foreach (var bad in new[] { "not a url", "ftp://tracker.example/{click_id}", "https://tracker.example/?x={nope}" })
        {
            var response = await webmaster.Client.PutJsonAsync("/api/v1/webmaster-postback", new { urlTemplate = bad, enabled = true });
            (await response.ExpectValidationErrorsAsync()).AssertHasError("urlTemplate");
        }
        var ok = await (await webmaster.Client.PutJsonAsync("/api/v1/webmaster-postback",
            new { urlTemplate = "https://tracker.example/pb?cid={click_id}&s={status}", enabled = true })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(ok.GetProperty("enabled").GetBoolean());
        var advertiser = await app.RegisterAsync("advertiser");
        await (await advertiser.Client.GetAsync("/api/v1/webmaster-postback")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task FiresOnCreationAndEveryStatusChange_WithMacrosFilledAndEncoded()
    {
        var s = await SetupAsync(app);
        await EnableAsync(s.Webmaster, Template);
        var clickId = await ClickAsync(app, s.LinkCode, sub1: "camp 7&x=1");

        var (id, _, _) = await (await GetAsync(app, Query(("click_id", clickId), ("txid", "ord/1"), ("token", s.Token)))).ExpectOkAsync();
        await app.DispatchOutboxAsync();
        await (await GetAsync(app, Query(("click_id", clickId), ("txid", "ord/1"), ("status", "approved"), ("token", s.Token)))).ExpectOkAsync();
        await app.DispatchOutboxAsync();

        var calls = _tracker.Received.ToArray();
        Assert.Equal(2, calls.Length);
        Assert.Equal($"/pb?cid=camp%207%26x%3D1&click={clickId}&payout=180.00&cur=RUB&status=pending&goal=lead&conv={id}&tx=ord%2F1&offer={s.OfferId}", calls[0]);
        Assert.Contains("&status=approved&", calls[1]);

        var log = await (await s.Webmaster.Client.GetAsync("/api/v1/webmaster-postback/deliveries")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, log.Items().Count());
        Assert.All(log.Items(), d => Assert.Equal(200, d.GetProperty("httpStatus").GetInt32()));
        Assert.All(log.Items(), d => Assert.True(d.GetProperty("success").GetBoolean()));
        var stranger = await app.RegisterAsync("webmaster");
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/webmaster-postback/deliveries")).ExpectJsonAsync(HttpStatusCode.OK)).Items());
    }

    [Fact]
    public async Task FailedDelivery_IsRetriedWithBackoffAndLogged()
    {
        var s = await SetupAsync(app);
        await EnableAsync(s.Webmaster, _tracker.BaseUrl + "/pb?c={click_id}&s={status}");
        _tracker.Status = 503;
        await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();

        await app.DispatchOutboxAsync();
        Assert.Single(_tracker.Received);
        await app.DispatchOutboxAsync(); // not due yet: backoff
        Assert.Single(_tracker.Received);

        _tracker.Status = 200;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.DispatchOutboxAsync();
        Assert.Equal(2, _tracker.Received.Count);

        var log = (await (await s.Webmaster.Client.GetAsync("/api/v1/webmaster-postback/deliveries")).ExpectJsonAsync(HttpStatusCode.OK)).Items()
            .OrderBy(d => d.GetProperty("attempt").GetInt32()).ToList();
        Assert.Equal([503, 200], log.Select(d => d.GetProperty("httpStatus").GetInt32()));
        Assert.Equal([false, true], log.Select(d => d.GetProperty("success").GetBoolean()));
        var settings = await (await s.Webmaster.Client.GetAsync("/api/v1/webmaster-postback")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, settings.GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task RepeatedFailures_SwitchThePostbackOffWithAVisibleReason()
    {
        var s = await SetupAsync(app);
        await EnableAsync(s.Webmaster, _tracker.BaseUrl + "/pb?c={click_id}");
        _tracker.Status = 500;
        for (var i = 0; i < WebmasterPostbackSettings.DisableAfterFailures + 2; i++)
            await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();

        await app.DispatchOutboxAsync();

        Assert.Equal(WebmasterPostbackSettings.DisableAfterFailures, _tracker.Received.Count);
        var settings = await (await s.Webmaster.Client.GetAsync("/api/v1/webmaster-postback")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Contains("500", settings.Str("disabledReason"));
        // What was still queued is not sent, and says so in the log.
        var skipped = await app.WithDbAsync(db => db.PostbackDeliveries.CountAsync(d => d.WebmasterId == s.Webmaster.UserId && d.Error!.StartsWith("Not sent")));
        Assert.Equal(2, skipped);

        // Saving the settings again turns it back on.
        _tracker.Status = 200;
        await EnableAsync(s.Webmaster, _tracker.BaseUrl + "/pb?c={click_id}");
        await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();
        await app.DispatchOutboxAsync();
        Assert.Equal(WebmasterPostbackSettings.DisableAfterFailures + 1, _tracker.Received.Count);
    }

    private static async Task EnableAsync(TestUser webmaster, string template) =>
        await (await webmaster.Client.PutJsonAsync("/api/v1/webmaster-postback", new { urlTemplate = template, enabled = true })).ExpectJsonAsync(HttpStatusCode.OK);
}

public sealed class WebmasterPostbackTests_Sqlite(PostbackSqliteFactory app) : WebmasterPostbackTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class WebmasterPostbackTests_PostgreSql(PostbackPostgreSqlFactory app) : WebmasterPostbackTests(app), IClassFixture<PostbackPostgreSqlFactory>;
