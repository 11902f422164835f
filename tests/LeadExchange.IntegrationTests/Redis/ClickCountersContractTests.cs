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

    private static ClickCounterKeys Keys(string ip, string ipOffer, string visitor, TimeSpan? window = null) =>
        new(ip, window ?? Long, ipOffer, window ?? Long, visitor, window ?? Long);

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
