using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Infrastructure.Conversions;
using LeadExchange.Infrastructure.Outbox;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using LeadExchange.IntegrationTests.Stripe;
using LeadExchange.IntegrationTests.Tracking;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadExchange.IntegrationTests.Conversions;

/// <summary>
/// The app for postback tests: forwarded headers on (each test clicks from its own address), a movable
/// clock, background jobs off (tests run the release job and the outbox themselves), the "too fast"
/// fraud rule at zero unless a test turns it on, and an optional second node on the same database and Redis.
/// </summary>
public class PostbackFactory : ClickFactory
{
    private readonly PostbackFactory? _primary;

    protected PostbackFactory(TestDatabase database) : base(database) { }

    private PostbackFactory(PostbackFactory primary) : base(primary.Database)
    {
        _primary = primary;
        Clock.MatchOffset(primary.Clock);
    }

    /// <summary>Seconds below which a conversion is "too fast"; 0 here so ordinary tests are not flagged.</summary>
    protected virtual int MinSecondsAfterClick => 0;

    /// <summary>Another app instance on this one's database and Redis prefix: start it with InitializeAsync, dispose it yourself.</summary>
    public PostbackFactory SecondNode() => new(this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_primary is not null)
        {
            builder.UseSetting("ConnectionStrings:Default", Database == TestDatabase.PostgreSql
                ? new NpgsqlConnectionStringBuilder(_primary.ConnectionString) { ApplicationName = "node2" }.ConnectionString
                : _primary.ConnectionString);
            builder.UseSetting("Redis:KeyPrefix", _primary.RedisKeyPrefix);
        }
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Tracking:ConversionFraud:MinSecondsAfterClick", MinSecondsAfterClick.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Tracking:Postback:UnknownClickWaitMilliseconds", "50");
        builder.UseSetting("Tracking:Postback:AllowPrivateTargets", "true");
        // Races send one person many times from one address; the per-IP lead velocity has its own test.
        builder.UseSetting("Leads:PerIpPerMinute", "100000");
    }

    public Task<int> DispatchOutboxAsync() => Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(100, CancellationToken.None);

    public async Task<int> ReleaseDueHoldsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Application.Ledger.ReleaseDueHoldsCommand());
    }

    public Task FlushPostbackLogAsync() => Services.GetRequiredService<PostbackLogWriter>().FlushAsync();
}

public sealed class PostbackSqliteFactory() : PostbackFactory(TestDatabase.Sqlite);

public sealed class PostbackPostgreSqlFactory() : PostbackFactory(TestDatabase.PostgreSql);

/// <summary>An advertiser with money, an offer, a webmaster in it, and the advertiser's postback token.</summary>
public sealed record PostbackSetup(TestUser Advertiser, TestUser Webmaster, string OfferId, string LinkCode, string Token, string SigningSecret);

public static class PostbackHarness
{
    public const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

    /// <summary>Offer body: a CPL default goal "lead" (250.00 / 180.00), a fixed CPA "deposit" and a 10%/6% CPS "sale".</summary>
    public static JsonObject OfferBody(int holdDays = 14, int? dailyCap = null, int? monthlyCap = null, int? webmasterDailyCap = null)
    {
        var body = OfferApi.ValidBody(goals:
        [
            OfferApi.Goal("lead", "cpl", 25_000, 18_000, isDefault: true),
            OfferApi.Goal("deposit", "cpa", 100_000, 70_000),
            OfferApi.PercentGoal("sale", 10m, 6m),
        ]);
        body["landingUrl"] = "https://landing.example/go?cid={click_id}&s1={sub1}";
        body["holdDays"] = holdDays;
        body["dailyCap"] = dailyCap;
        body["monthlyCap"] = monthlyCap;
        body["webmasterDailyCap"] = webmasterDailyCap;
        return body;
    }

    public static async Task<PostbackSetup> SetupAsync(IAppNode app, JsonObject? offer = null, long topUp = 10_000_000)
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var webmaster = await app.RegisterAsync("webmaster");
        if (topUp > 0) await LedgerHarness.TopUpAsync(app, advertiser.Email, topUp);
        var offerId = await OfferApi.CreateIdAsync(advertiser.Client, offer ?? OfferBody());
        var join = await OfferApi.JoinAsync(webmaster.Client, offerId);
        var settings = await (await advertiser.Client.GetAsync("/api/v1/postback-settings")).ExpectJsonAsync(HttpStatusCode.OK);
        return new PostbackSetup(advertiser, webmaster, offerId, join.Str("linkCode"), settings.Str("token"), settings.Str("signingSecret"));
    }

    /// <summary>
    /// Clicks the link from <paramref name="ip"/> (a fresh address if null) and returns the click id from the landing URL;
    /// <paramref name="moreSubs"/> are sub2, sub3, ... in order.
    /// </summary>
    public static async Task<string> ClickAsync(IAppNode app, string linkCode, string? ip = null, string sub1 = "s1", string userAgent = Browser,
        params string[] moreSubs)
    {
        using var client = app.CreateAnonymousClient();
        var subs = string.Concat(moreSubs.Select((s, i) => $"&sub{i + 2}={Uri.EscapeDataString(s)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{linkCode}?sub1={Uri.EscapeDataString(sub1)}{subs}");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.Add("X-Forwarded-For", ip ?? ClickFactory.NextIp());
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        var clickId = query["cid"].ToString();
        // Clicks are written in batches; a real postback comes later than a test's.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await app.WithDbAsync(db => db.Clicks.AnyAsync(c => c.Id == clickId)) && DateTime.UtcNow < deadline) await Task.Delay(20);
        return clickId;
    }

    /// <summary>GET /postback with the query as given (from a fixed advertiser-server address unless <paramref name="ip"/>).</summary>
    public static async Task<HttpResponseMessage> GetAsync(IAppNode app, string query, string ip = "203.0.113.10",
        string path = "/postback", string? signature = null)
    {
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?{query}");
        request.Headers.Add("X-Forwarded-For", ip);
        if (signature is not null) request.Headers.Add("X-Signature", signature);
        return await client.SendAsync(request);
    }

    public static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join("&", parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}"));

    /// <summary>Asserts a 200 ok answer and returns (conversionId, status, duplicate).</summary>
    public static async Task<(string Id, string Status, bool Duplicate)> ExpectOkAsync(this HttpResponseMessage response)
    {
        var body = await response.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ok", body.Str("result"));
        return (body.Str("conversionId"), body.Str("status"), body.GetProperty("duplicate").GetBoolean());
    }

    /// <summary>Asserts a failure answer with the status and code of API.md, never 200.</summary>
    public static async Task<JsonElement> ExpectErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.ExpectJsonAsync(status);
        Assert.Equal("error", body.Str("result"));
        Assert.Equal(code, body.Str("code"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("message")));
        return body;
    }
}
