using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LeadExchange.Infrastructure.Redis;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Redis;

/// <summary>
/// Issue #9 "Faults": a real redis-server of this test's own, killed and started again under a running app. While it
/// is away clicks, postbacks and leads keep working on the database path without waiting for Redis timeouts, duplicates
/// are still refused, /health/ready says Degraded (200); when it is back the app uses it again without a restart.
/// </summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RedisKilledAndStartedAgain_HotPathsKeepWorkingFast_DuplicatesStillRefused_RecoversWithoutRestart()
    {
        await using var redis = OwnRedis.Start();
        await using var app = new OwnRedisFactory(redis.Port);
        await app.InitializeAsync();
        var setup = await SetupAsync(app);
        var circuit = app.Services.GetRequiredService<RedisCircuit>();
        var multiplexer = app.Services.GetRequiredService<IConnectionMultiplexer>();

        await ClickAsync(app, setup.LinkCode);
        var before = LeadIntakeTests.NextPhone();
        await (await SubmitLeadAsync(setup.Webmaster.Client, LeadIntakeTests.Body(before))).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.True(circuit.IsClosed);
        Assert.Equal("Healthy", await RedisHealthAsync(app));

        redis.Kill();
        await Eventually(() => !multiplexer.IsConnected, "the app noticed Redis is gone");

        var timer = Stopwatch.StartNew();
        var clickIds = new List<string>();
        for (var i = 0; i < 10; i++) clickIds.Add(await ClickAsync(app, setup.LinkCode));
        // With a timeout per Redis call (the bug the fault drill found) ten clicks took ~20 s.
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), $"10 clicks without Redis took {timer.Elapsed.TotalSeconds:F1} s");

        var (conversionId, _, duplicate) = await (await GetAsync(app, Query(("click_id", clickIds[0]), ("token", setup.Token)))).ExpectOkAsync();
        Assert.False(duplicate);
        var (again, _, repeated) = await (await GetAsync(app, Query(("click_id", clickIds[0]), ("token", setup.Token)))).ExpectOkAsync();
        Assert.True(repeated);
        Assert.Equal(conversionId, again);

        var during = LeadIntakeTests.NextPhone();
        await (await SubmitLeadAsync(setup.Webmaster.Client, LeadIntakeTests.Body(during))).ExpectJsonAsync(HttpStatusCode.Created);
        var duplicateDuring = await (await SubmitLeadAsync(setup.Webmaster.Client, LeadIntakeTests.Body(during))).ExpectJsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("duplicate", duplicateDuring.Str("code"));
        await (await SubmitLeadAsync(setup.Webmaster.Client, LeadIntakeTests.Body(before))).ExpectJsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("Degraded", await RedisHealthAsync(app));
        Assert.True(circuit.Fallbacks > 0);

        redis.Restart();
        // Back on Redis: a click's counters land in the new, empty Redis again (no app restart).
        await Eventually(async () =>
        {
            await ClickAsync(app, setup.LinkCode);
            return await CountKeysAsync(redis.Port, app.RedisKeyPrefix) > 0;
        }, "clicks count in Redis again");
        Assert.True(circuit.IsClosed);
        Assert.Equal("Healthy", await RedisHealthAsync(app));
    }

    [Fact]
    public async Task RedisDown_TheConversionRateRule_CountsTheWebmastersTrafficFromTheRollups()
    {
        await using var redis = OwnRedis.Start();
        await using var app = new OwnRedisFactory(redis.Port);
        await app.InitializeAsync();
        var setup = await SetupAsync(app);
        var clickIds = new List<string>();
        for (var i = 0; i < 6; i++) clickIds.Add(await ClickAsync(app, setup.LinkCode));
        foreach (var clickId in clickIds.Take(4))
            await (await GetAsync(app, Query(("click_id", clickId), ("token", setup.Token)))).ExpectOkAsync();
        await app.Services.GetRequiredService<Application.Tracking.IClickQueue>().FlushAsync();
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new Application.Reports.RefreshReportRollupsCommand("test"));

        redis.Kill();
        await Eventually(() => !app.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected, "the app noticed Redis is gone");

        // 6 clicks and 4 conversions in the rollups: a 5th conversion is 5 of 6, over the 50 % rule (the counters in Redis are gone).
        var (fifth, _, _) = await (await GetAsync(app, Query(("click_id", clickIds[4]), ("token", setup.Token)))).ExpectOkAsync();
        var flags = await app.WithDbAsync(db => db.Conversions.AsNoTracking().Where(c => c.Id == Guid.Parse(fifth)).Select(c => c.FraudFlags).SingleAsync());
        Assert.Equal(Domain.Conversions.ConversionFraud.CrAnomaly, flags);
    }

    private static Task<HttpResponseMessage> SubmitLeadAsync(HttpClient client, JsonObject body) => client.PostAsJsonAsync("/api/v1/leads", body);

    private static async Task<string> RedisHealthAsync(IAppNode app)
    {
        using var client = app.CreateAnonymousClient();
        var body = await (await client.GetAsync("/health/ready")).ExpectJsonAsync(HttpStatusCode.OK);
        return body.GetProperty("checks").GetProperty("redis").Str("status");
    }

    private static async Task<int> CountKeysAsync(int port, string prefix)
    {
        await using var direct = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        var count = 0;
        await foreach (var _ in direct.GetServer(direct.GetEndPoints()[0]).KeysAsync(pattern: prefix + "*")) count++;
        return count;
    }

    private static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The postback app (SQLite) on this test's own Redis, with a one-second circuit break.</summary>
    private sealed class OwnRedisFactory(int port) : PostbackFactory(TestDatabase.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Redis", $"127.0.0.1:{port},abortConnect=false,connectTimeout=1000");
            builder.UseSetting("Redis:BreakSeconds", "1");
        }
    }

    /// <summary>A redis-server process on a free port, without persistence: Kill is a crash, Restart an empty server.</summary>
    private sealed class OwnRedis : IAsyncDisposable
    {
        private Process _process;

        private OwnRedis(int port)
        {
            Port = port;
            _process = Launch(port);
        }

        public int Port { get; }

        public static OwnRedis Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new OwnRedis(port);
        }

        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public void Restart()
        {
            _process.Dispose();
            _process = Launch(Port);
        }

        private static Process Launch(int port)
        {
            var process = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("redis-server did not start");
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    return process;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    Thread.Sleep(50);
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
