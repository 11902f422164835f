using LeadExchange.Application.Tracking;
using LeadExchange.Infrastructure.Tracking;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Redis;

/// <summary>The click counters' contract (IClickCounters), against real Redis and the in-process stand-in.</summary>
public abstract class ClickCountersContractTests(RedisPortsFixture ports)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PastShort = TimeSpan.FromMilliseconds(1300);

    protected RedisPortsFixture Ports => ports;

    private IClickCounters Counters => ports.Services.GetRequiredService<IClickCounters>();

    private ITrafficCounters Traffic => ports.Services.GetRequiredService<ITrafficCounters>();

    private static ClickCounterKeys Keys(string ip, string ipOffer, string visitor, TimeSpan? window = null, string? trafficHour = null) =>
        new(ip, window ?? Long, ipOffer, window ?? Long, visitor, window ?? Long, trafficHour ?? Key("tr"));

    private static string Key(string name) => $"{name}:{TestServices.ShortId()}";

    [Fact]
    public async Task Count_WhenCalledTwice_CountsBothAndOnlyFirstIsFirstForVisitor()
    {
        var keys = Keys(Key("ip"), Key("ipo"), Key("u"));

        Assert.Equal(new ClickCounts(1, 1, true), await Counters.CountAsync(keys));
        Assert.Equal(new ClickCounts(2, 2, false), await Counters.CountAsync(keys));
    }

    [Fact]
    public async Task Count_WhenSameIpOtherOfferAndVisitor_SharesOnlyTheIpCounter()
    {
        var ip = Key("ip");
        await Counters.CountAsync(Keys(ip, Key("ipo"), Key("u")));

        Assert.Equal(new ClickCounts(2, 1, true), await Counters.CountAsync(Keys(ip, Key("ipo"), Key("u"))));
    }

    [Fact]
    public async Task Count_WhenWindowsElapsed_StartsAgain()
    {
        var keys = Keys(Key("ip"), Key("ipo"), Key("u"), Short);
        await Counters.CountAsync(keys);
        Assert.Equal(new ClickCounts(2, 2, false), await Counters.CountAsync(keys));

        await Task.Delay(PastShort);

        Assert.Equal(new ClickCounts(1, 1, true), await Counters.CountAsync(keys));
    }

    [Fact]
    public async Task Count_When50ParallelCalls_DistinctCountsAndExactlyOneFirstVisit()
    {
        var keys = Keys(Key("ip"), Key("ipo"), Key("u"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Counters.CountAsync(keys);
        })).ToList();
        start.SetResult();

        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), results.Select(r => r.IpClicks).Order());
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), results.Select(r => r.IpOfferClicks).Order());
        Assert.Equal(1, results.Count(r => r.FirstForVisitor));
    }

    [Fact]
    public async Task Traffic_CountsEveryClickAndConversionOfTheLast24Hours_InOneRead()
    {
        var offer = Guid.NewGuid();
        var webmaster = Key("wm");
        var now = new DateTime(2026, 12, 7, 23, 30, 0, DateTimeKind.Utc);
        // Clicks through the click path's own script, in this hour, 23 hours ago and 30 hours ago (outside the window).
        foreach (var at in new[] { now, now, now.AddHours(-23), now.AddHours(-30) })
            await Counters.CountAsync(Keys(Key("ip"), Key("ipo"), Key("u"), trafficHour: TrafficKeys.Clicks(offer, webmaster, at)));
        await Traffic.CountConversionAsync(offer, webmaster, now, +1);
        await Traffic.CountConversionAsync(offer, webmaster, now.AddHours(-2), +1);
        await Traffic.CountConversionAsync(offer, webmaster, now.AddHours(-2), +1);
        await Traffic.CountConversionAsync(offer, webmaster, now.AddHours(-2), -1); // one of them rejected later
        await Traffic.CountConversionAsync(offer, webmaster, now.AddHours(-40), +1);

        Assert.Equal(new RecentTraffic(3, 2), await Traffic.RecentAsync(offer, webmaster, now));
        // Another webmaster on the same offer has nothing; 26 hours later the window has moved past all of it.
        Assert.Equal(new RecentTraffic(0, 0), await Traffic.RecentAsync(offer, Key("wm"), now));
        Assert.Equal(new RecentTraffic(0, 0), await Traffic.RecentAsync(offer, webmaster, now.AddHours(26)));
    }
}

public sealed class ClickCountersContractTests_RealRedis(RealRedisPortsFixture ports)
    : ClickCountersContractTests(ports), IClassFixture<RealRedisPortsFixture>
{
    [Fact]
    public void Ports_WhenRedisConfigured_AreTheRedisImplementations()
    {
        Assert.IsType<RedisClickCounters>(Ports.Services.GetRequiredService<IClickCounters>());
        Assert.IsType<RedisCacheInvalidation>(Ports.Services.GetRequiredService<ICacheInvalidation>());
    }
}

public sealed class ClickCountersContractTests_InProcess(InProcessPortsFixture ports)
    : ClickCountersContractTests(ports), IClassFixture<InProcessPortsFixture>
{
    [Fact]
    public void Ports_WhenRedisNotConfigured_AreTheInProcessStandIns()
    {
        Assert.IsType<InProcessClickCounters>(Ports.Services.GetRequiredService<IClickCounters>());
        Assert.IsType<InProcessCacheInvalidation>(Ports.Services.GetRequiredService<ICacheInvalidation>());
    }
}
