using System.Collections.Concurrent;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace LeadExchange.IntegrationTests.Infrastructure;

public enum TestDatabase { Sqlite, PostgreSql }

/// <summary>
/// The whole app in-process on its own database (a temp SQLite file, or a fresh PostgreSQL database that
/// the app's start-up migration creates) and its own Redis key prefix, in demo mode. One instance per
/// test class (IClassFixture), so classes running in parallel never share data.
/// </summary>
public abstract class LeadExchangeFactory : WebApplicationFactory<Program>, IAsyncLifetime, IAppNode
{
    public const string DemoPassword = "Demo!2345";

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _demoKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _sqliteFile;
    private int _cleanedUp;
    private bool _started;

    protected LeadExchangeFactory(TestDatabase database)
    {
        Database = database;
        // Both read here so a missing variable fails the fixture, and with it every test of the class, up front.
        RedisConfiguration = TestServices.Redis;
        RedisKeyPrefix = $"lxtest:{TestServices.ShortId()}:";
        if (database == TestDatabase.Sqlite)
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"leadex_test_{TestServices.ShortId()}.db");
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = _sqliteFile }.ToString();
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(TestServices.Postgres)
            {
                Database = $"leadex_test_{TestServices.ShortId()}",
                // Several classes run in parallel, each with its own database and pool: stay well under max_connections.
                MaxPoolSize = 20,
            };
            ConnectionString = builder.ConnectionString;
        }
    }

    public TestDatabase Database { get; }
    public string ConnectionString { get; }
    public string RedisConfiguration { get; }
    public string RedisKeyPrefix { get; }

    /// <summary>The app's clock: tests move it forward instead of waiting (and LEADEX_TEST_CLOCK starts it elsewhere).</summary>
    public TestClock Clock { get; } = new();

    /// <summary>Requests per minute on /api/v1/auth; high so only the rate-limit test ever meets the limit.</summary>
    protected virtual int AuthPerMinute => 10_000;

    /// <summary>Requests per second per address on /api/v1; high so only the rate-limit test ever meets the limit.</summary>
    protected virtual int ApiPerSecond => 100_000;

    /// <summary>
    /// Write requests of one lane running at once (Admission:MaxConcurrent); high so races of many parallel requests meet
    /// the once-only rules, not admission control, which has its own test (AdmissionTests).
    /// </summary>
    protected virtual int AdmissionMaxConcurrent => 10_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // UseSetting, not ConfigureAppConfiguration: Program.cs reads these before builder.Build().
        builder.UseSetting("Database:Provider", Database == TestDatabase.Sqlite ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.PostgreSql));
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("ConnectionStrings:Redis", RedisConfiguration);
        builder.UseSetting("Redis:KeyPrefix", RedisKeyPrefix);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:SampleActivity", "false");
        builder.UseSetting("RateLimits:AuthPerMinute", AuthPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:ApiPerSecond", ApiPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Admission:MaxConcurrent", AdmissionMaxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("App:PublicBaseUrl", "");
        builder.ConfigureTestServices(services => services.AddSingleton<IClock>(Clock));
    }

    /// <summary>Starts the app (migrations, seed) once, before the class's first test.</summary>
    public Task InitializeAsync()
    {
        _ = Server;
        _started = true;
        return Task.CompletedTask;
    }

    /// <summary>Leaves nothing behind in the shared Redis: every key under this factory's prefix.</summary>
    private Task DeleteRedisKeysAsync() => TestServices.DeleteRedisKeysAsync(Services.GetRequiredService<IConnectionMultiplexer>(), RedisKeyPrefix);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _cleanedUp, 1) == 1)
        {
            await base.DisposeAsync();
            return;
        }
        try
        {
            if (_started) await DeleteRedisKeysAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            // Best effort (RedisTimeoutException is a TimeoutException, not a RedisException): the keys are
            // namespaced and expire; the database below matters more.
        }
        try
        {
            await base.DisposeAsync();
            if (_started) await AfterHostStoppedAsync();
        }
        catch (Exception ex)
        {
            // xUnit reports a fixture's failure by type only; the whole exception goes to stderr (and the .trx).
            await Console.Error.WriteLineAsync($"[{GetType().Name} cleanup] stopping the app failed: {ex}");
            throw;
        }
        finally
        {
            await DropDatabaseAsync();
        }
    }

    /// <summary>Runs after the app has stopped (hosted services drained) and before the database is dropped.</summary>
    protected virtual Task AfterHostStoppedAsync() => Task.CompletedTask;

    private async Task DropDatabaseAsync()
    {
        if (Database == TestDatabase.Sqlite)
        {
            SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                try { File.Delete(_sqliteFile + suffix); } catch (IOException) { /* best effort: a temp file */ }
        }
        else
        {
            await TestServices.DropPostgresDatabaseAsync(ConnectionString, GetType().Name);
        }
    }

    /// <summary>An HttpClient that does not follow redirects (tests look at 302s themselves).</summary>
    public HttpClient CreateAnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient CreateClientWithKey(string apiKey)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Signs up a fresh advertiser or webmaster through the public API.</summary>
    public Task<TestUser> RegisterAsync(string role, string? displayName = null) => TestAccounts.RegisterAsync(this, role, displayName);

    /// <summary>A key for a seeded demo account (advertiser, webmaster, moderator, admin), created once per factory.</summary>
    public Task<string> DemoKeyAsync(string role) =>
        _demoKeys.GetOrAdd(role, r => new Lazy<Task<string>>(() => TestAccounts.CreateKeyAsync(this, $"{r.ToLowerInvariant()}@demo.test", DemoPassword))).Value;

    public async Task<HttpClient> DemoClientAsync(string role) => CreateClientWithKey(await DemoKeyAsync(role));

    public Task<HttpClient> AdminClientAsync() => DemoClientAsync("admin");

    /// <summary>Runs <paramref name="work"/> against the app's own DbContext in a fresh scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}

public sealed class SqliteFactory() : LeadExchangeFactory(TestDatabase.Sqlite);

public sealed class PostgreSqlFactory() : LeadExchangeFactory(TestDatabase.PostgreSql);

/// <summary>
/// Low limits for the rate-limit tests only: auth 3 requests a minute, postbacks 2 and leads 1 a second (token buckets of
/// twice that). Forwarded headers are on so each test sends from its own address (X-Forwarded-For) and never meets another
/// test's per-address counters.
/// </summary>
public sealed class RateLimitedSqliteFactory() : LeadExchangeFactory(TestDatabase.Sqlite)
{
    public const int Limit = 3;
    public const int PostbackPerSecond = 2;
    public const int LeadsPerSecond = 1;
    protected override int AuthPerMinute => Limit;
    public const int ApiLimitPerSecond = 20;
    protected override int ApiPerSecond => ApiLimitPerSecond;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders_Enabled", "true");
        builder.UseSetting("RateLimits:PostbackPerSecond", PostbackPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:LeadsPerSecond", LeadsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>A registered account: its id, credentials, first API key and a client sending that key.</summary>
public sealed record TestUser(string UserId, string Email, string Password, string ApiKey, HttpClient Client);
