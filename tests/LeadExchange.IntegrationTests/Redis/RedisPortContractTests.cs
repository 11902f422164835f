using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Infrastructure;
using LeadExchange.Infrastructure.Redis;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LeadExchange.IntegrationTests.Redis;

/// <summary>
/// One contract for the Redis ports (IDedupStore, IRateCounters, IRedisStatus), run against both
/// implementations exactly as AddInfrastructure wires them: real Redis when ConnectionStrings:Redis is set,
/// the in-process stand-in when it is not.
/// </summary>
public abstract class RedisPortContractTests(RedisPortsFixture ports)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PastShort = TimeSpan.FromMilliseconds(1300);

    protected RedisPortsFixture Ports => ports;

    private IDedupStore Dedup => ports.Services.GetRequiredService<IDedupStore>();
    private IRateCounters Counters => ports.Services.GetRequiredService<IRateCounters>();

    private static string Key(string name) => $"{name}:{TestServices.ShortId()}";

    [Fact]
    public async Task TryReserve_WhenSameKeyTwice_FirstWinsSecondLoses()
    {
        var key = Key("dedup");
        Assert.True(await Dedup.TryReserveAsync(key, Long));
        Assert.False(await Dedup.TryReserveAsync(key, Long));
        Assert.True(await Dedup.TryReserveAsync(Key("other"), Long));
    }

    [Fact]
    public async Task TryReserve_WhenReleased_CanBeReservedAgain()
    {
        var key = Key("dedup");
        Assert.True(await Dedup.TryReserveAsync(key, Long));

        await Dedup.ReleaseAsync(key);

        Assert.True(await Dedup.TryReserveAsync(key, Long));
        Assert.False(await Dedup.TryReserveAsync(key, Long));
    }

    [Fact]
    public async Task TryReserve_WhenTtlElapsed_CanBeReservedAgain()
    {
        var key = Key("dedup");
        Assert.True(await Dedup.TryReserveAsync(key, Short));
        Assert.False(await Dedup.TryReserveAsync(key, Short));

        await Task.Delay(PastShort);

        Assert.True(await Dedup.TryReserveAsync(key, Short));
    }

    [Fact]
    public async Task TryReserve_When50ParallelCallsOnOneKey_ExactlyOneWins()
    {
        var key = Key("dedup");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Dedup.TryReserveAsync(key, Long);
        })).ToList();
        start.SetResult();

        var results = await Task.WhenAll(calls);

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Increment_WhenTwoKeysIncrementedTwice_CountsEachKey()
    {
        var a = Key("rate-a");
        var b = Key("rate-b");

        Assert.Equal(new long[] { 1L, 1L }, await Counters.IncrementAsync([a, b], Long));
        Assert.Equal(new long[] { 2L, 2L }, await Counters.IncrementAsync([a, b], Long));
        Assert.Equal(new long[] { 3L }, await Counters.IncrementAsync([a], Long));
        Assert.Equal(new long[] { 3L, 4L }, await Counters.IncrementAsync([b, a], Long));
    }

    [Fact]
    public async Task Increment_WhenNoKeys_ReturnsEmpty() =>
        Assert.Empty(await Counters.IncrementAsync([], Long));

    [Fact]
    public async Task Increment_WhenWindowElapsed_StartsAgainFromOne()
    {
        var a = Key("rate-a");
        var b = Key("rate-b");
        Assert.Equal(new long[] { 1L, 1L }, await Counters.IncrementAsync([a, b], Short));
        Assert.Equal(new long[] { 2L, 2L }, await Counters.IncrementAsync([a, b], Short));

        await Task.Delay(PastShort);

        Assert.Equal(new long[] { 1L, 1L }, await Counters.IncrementAsync([a, b], Short));
    }

    [Fact]
    public async Task Increment_When50ParallelCallsOnOneKey_EachGetsADistinctCount()
    {
        var key = Key("rate");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return (await Counters.IncrementAsync([key], Long))[0];
        })).ToList();
        start.SetResult();

        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), results.Order());
    }

    [Fact]
    public async Task Status_WhenServiceReachable_PingsAndNamesItsMode()
    {
        var status = ports.Services.GetRequiredService<IRedisStatus>();
        Assert.Equal(ports.ExpectedMode, status.Mode);
        Assert.True(await status.PingAsync());
    }
}

/// <summary>Builds the ports through AddInfrastructure, with or without ConnectionStrings:Redis.</summary>
public abstract class RedisPortsFixture : IAsyncLifetime
{
    private readonly ServiceProvider _services;

    protected RedisPortsFixture(bool useRedis)
    {
        KeyPrefix = $"lxtest:{TestServices.ShortId()}:";
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            // Never opened: these tests resolve only the Redis ports.
            ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), "leadex_unused.db")}",
            ["Redis:KeyPrefix"] = KeyPrefix,
        };
        if (useRedis) settings["ConnectionStrings:Redis"] = TestServices.Redis;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddInfrastructure(configuration, Path.GetTempPath());
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public IServiceProvider Services => _services;
    public string KeyPrefix { get; }
    public abstract string ExpectedMode { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Leave nothing behind in the shared Redis.
        if (_services.GetService<IConnectionMultiplexer>() is { } redis)
        {
            foreach (var endpoint in redis.GetEndPoints())
            {
                var server = redis.GetServer(endpoint);
                var keys = server.Keys(pattern: KeyPrefix + "*").ToArray();
                if (keys.Length > 0) await redis.GetDatabase().KeyDeleteAsync(keys);
            }
        }
        await _services.DisposeAsync();
    }
}

public sealed class RealRedisPortsFixture() : RedisPortsFixture(useRedis: true)
{
    public override string ExpectedMode => "redis";
}

public sealed class InProcessPortsFixture() : RedisPortsFixture(useRedis: false)
{
    public override string ExpectedMode => "in-process";
}

public sealed class RedisPortContractTests_RealRedis(RealRedisPortsFixture ports) : RedisPortContractTests(ports), IClassFixture<RealRedisPortsFixture>
{
    [Fact]
    public void Ports_WhenRedisConfigured_AreTheRedisImplementations()
    {
        Assert.IsType<RedisDedupStore>(Ports.Services.GetRequiredService<IDedupStore>());
        Assert.IsType<RedisRateCounters>(Ports.Services.GetRequiredService<IRateCounters>());
    }

    [Fact]
    public async Task TryReserve_WhenKeyPrefixConfigured_StoresTheKeyUnderThatPrefixWithItsTtl()
    {
        var key = $"prefixed:{TestServices.ShortId()}";
        Assert.True(await Ports.Services.GetRequiredService<IDedupStore>().TryReserveAsync(key, TimeSpan.FromMinutes(5)));

        var db = Ports.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var ttl = await db.KeyTimeToLiveAsync(Ports.KeyPrefix + key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.False(await db.KeyExistsAsync(key));
    }
}

public sealed class RedisPortContractTests_InProcess(InProcessPortsFixture ports) : RedisPortContractTests(ports), IClassFixture<InProcessPortsFixture>
{
    [Fact]
    public void Ports_WhenRedisNotConfigured_AreTheInProcessStandIns()
    {
        Assert.IsType<InProcessDedupStore>(Ports.Services.GetRequiredService<IDedupStore>());
        Assert.IsType<InProcessRateCounters>(Ports.Services.GetRequiredService<IRateCounters>());
        Assert.Null(Ports.Services.GetService<IConnectionMultiplexer>());
    }
}
