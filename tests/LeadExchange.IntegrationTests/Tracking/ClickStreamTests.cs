using System.Net;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Tracking;
using LeadExchange.Infrastructure.Tracking;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Tracking;

/// <summary>
/// Durable clicks (issue "Write path at constant cost"): with Redis, the click script appends the click to a Redis stream
/// before the redirect, and the stream's writers store it; a writer that read entries and died (kill -9) never loses them:
/// another writer takes them over once they have been idle, and skips those already stored.
/// </summary>
public abstract class ClickStreamTests(ClickStreamFactory app)
{
    [Fact]
    public async Task Click_IsInTheRedisStreamBeforeItsRedirect_AndTheStreamWriterStoresIt()
    {
        var s = await SetupAsync(app);
        var writer = app.Services.GetRequiredService<ClickStreamWriter>();
        var memory = app.Services.GetRequiredService<ClickWriter>();
        var before = (writer.Written, memory.Enqueued);

        var clickId = await RedirectAsync(s.LinkCode);

        // The writer polls only when woken (60 s here): right after the redirect the click is in the stream, not yet in the table.
        Assert.Contains(await StreamClickIdsAsync(), id => id == clickId);
        Assert.Equal(before.Enqueued, memory.Enqueued);
        await app.Services.GetRequiredService<IClickQueue>().FlushAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(await app.WithDbAsync(db => db.Clicks.AnyAsync(c => c.Id == clickId)));
        Assert.Equal(before.Written + 1, writer.Written);
        Assert.DoesNotContain(await StreamClickIdsAsync(), id => id == clickId);
    }

    [Fact]
    public async Task EntriesAWriterReadAndNeverAcknowledged_AreTakenOver_AndTheOnesAlreadyStoredAreNotWrittenTwice()
    {
        var s = await SetupAsync(app);
        var writer = app.Services.GetRequiredService<ClickStreamWriter>();
        var first = await RedirectAsync(s.LinkCode);
        var second = await RedirectAsync(s.LinkCode);

        // A writer on another node reads both entries, stores the first, and is killed before acknowledging either.
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = (RedisKey)(app.RedisKeyPrefix + ClickStreamOptions.Key);
        try { await redis.StreamCreateConsumerGroupAsync(key, ClickStreamOptions.Group, "0-0", createStream: true); }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal)) { }
        var taken = await redis.StreamReadGroupAsync(key, ClickStreamOptions.Group, "killed-node", ">", 100);
        Assert.Equal([first, second], taken.Select(e => ClickStreamEntry.Read(e, new ClickFraudOptions())!.Id).Where(id => id == first || id == second));
        var stored = ClickStreamEntry.Read(taken.Single(e => ClickStreamEntry.Read(e, new ClickFraudOptions())!.Id == first), new ClickFraudOptions())!;
        await app.WithDbAsync(async db =>
        {
            db.Clicks.Add(stored);
            return await db.SaveChangesAsync();
        });
        var claimedBefore = writer.Claimed;
        var skippedBefore = writer.Skipped;

        // This node's flush waits until every entry up to now is stored and acknowledged: the idle ones are claimed on the way.
        await app.Services.GetRequiredService<IClickQueue>().FlushAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(2, await app.WithDbAsync(db => db.Clicks.CountAsync(c => c.Id == first || c.Id == second)));
        Assert.True(writer.Claimed - claimedBefore >= 2, $"claimed {writer.Claimed - claimedBefore}");
        Assert.Equal(1, writer.Skipped - skippedBefore);
        Assert.Empty(await redis.StreamPendingMessagesAsync(key, ClickStreamOptions.Group, 10, "killed-node"));
    }

    /// <summary>A click whose redirect is all the test waits for (the harness's helper waits until the click is in the table).</summary>
    private async Task<string> RedirectAsync(string linkCode)
    {
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{linkCode}?sub1=stream");
        request.Headers.TryAddWithoutValidation("User-Agent", Browser);
        request.Headers.Add("X-Forwarded-For", ClickFactory.NextIp());
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query)["cid"].ToString();
    }

    private async Task<List<string>> StreamClickIdsAsync()
    {
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var entries = await redis.StreamRangeAsync(app.RedisKeyPrefix + ClickStreamOptions.Key);
        return entries.Select(e => ClickStreamEntry.Read(e, new ClickFraudOptions())?.Id).OfType<string>().ToList();
    }
}

/// <summary>The postback app with the stream writer woken only by a flush (so a test sees the stream before the table) and a 1 s take-over.</summary>
public class ClickStreamFactory(TestDatabase database) : Conversions.PostbackFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Tracking:ClickStream:PollMilliseconds", "60000");
        builder.UseSetting("Tracking:ClickStream:ClaimIdleSeconds", "1");
    }
}

public sealed class ClickStreamSqliteFactory() : ClickStreamFactory(TestDatabase.Sqlite);

public sealed class ClickStreamPostgreSqlFactory() : ClickStreamFactory(TestDatabase.PostgreSql);

public sealed class ClickStreamTests_Sqlite(ClickStreamSqliteFactory app) : ClickStreamTests(app), IClassFixture<ClickStreamSqliteFactory>;

public sealed class ClickStreamTests_PostgreSql(ClickStreamPostgreSqlFactory app) : ClickStreamTests(app), IClassFixture<ClickStreamPostgreSqlFactory>;
