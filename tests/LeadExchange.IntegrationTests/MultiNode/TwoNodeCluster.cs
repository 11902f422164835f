using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StackExchange.Redis;

namespace LeadExchange.IntegrationTests.MultiNode;

/// <summary>
/// Two real app instances (node A and node B), each its own OS process on its own port, on one fresh PostgreSQL
/// database and one Redis key prefix, configured the way docker-compose.yml configures its replicas: no demo mode, a
/// bootstrap admin, one contact key, no migration on start-up (the fixture migrates first, like the compose
/// `migrate` service), and both started at the same time. Background jobs run on both, every second, with scheduled
/// payouts every 1.2 s, so every job step races the other node's. Stopped (killed) and cleaned up after the class.
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    /// <summary>Jobs:IntervalSeconds of both nodes: outbox dispatch, hold release and the like run this often on each.</summary>
    public static readonly TimeSpan JobInterval = TimeSpan.FromSeconds(1);

    public const string AdminEmail = "admin@multinode.test";

    private readonly string _adminPassword = "Adm1n-" + TestServices.ShortId();
    private readonly Lazy<Task<string>> _adminKey;
    private readonly DbContextOptionsSource _database;
    private readonly string _redis = TestServices.Redis;

    public TwoNodeCluster()
    {
        var connection = new NpgsqlConnectionStringBuilder(TestServices.Postgres)
        {
            Database = $"leadex_test_{TestServices.ShortId()}",
            // The test process only reads for assertions; the nodes have pools of their own.
            MaxPoolSize = 10,
            ApplicationName = "multinode-tests",
        };
        _database = new DbContextOptionsSource(connection.ConnectionString);
        // The bootstrap admin gets a key only with two-factor sign-in on (turned on in the shared database first).
        _adminKey = new Lazy<Task<string>>(async () =>
        {
            await TwoFactorCodes.TurnOnInDatabaseAsync(A, AdminEmail);
            return await TestAccounts.CreateKeyAsync(A, AdminEmail, _adminPassword);
        });
    }

    public ProcessNode A { get; private set; } = null!;
    public ProcessNode B { get; private set; } = null!;
    public IReadOnlyList<ProcessNode> Nodes => [A, B];
    public string RedisKeyPrefix { get; } = $"lxtest:mn:{TestServices.ShortId()}:";

    /// <summary>From the first migration to both nodes answering /health/ready.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Node A for even <paramref name="i"/>, node B for odd: how the tests split parallel calls.</summary>
    public ProcessNode Node(int i) => i % 2 == 0 ? A : B;

    /// <summary>Which node a process id is (outbox rows record the dispatching process), for messages.</summary>
    public string NodeNameOf(string? lockedBy) =>
        Nodes.FirstOrDefault(n => lockedBy is not null && lockedBy.Contains($":{n.Process.ProcessId}:", StringComparison.Ordinal))?.Name ?? lockedBy ?? "nobody";

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        // The one-shot migration (docker compose's `migrate` service) creates the database and its schema.
        await using (var db = _database.Create())
            await db.Database.MigrateAsync();

        // Both replicas at once, as `docker compose up` starts them: each seeds roles, reference data and the admin.
        var contactKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        A = new ProcessNode(AppProcess.Start("node A", Settings("node-a", contactKey)), _database, () => _adminKey.Value);
        B = new ProcessNode(AppProcess.Start("node B", Settings("node-b", contactKey)), _database, () => _adminKey.Value);
        try
        {
            await Task.WhenAll(A.Process.WaitUntilReadyAsync(), B.Process.WaitUntilReadyAsync());
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
        StartupTime = watch.Elapsed;
    }

    private Dictionary<string, string> Settings(string nodeName, string contactKey) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Database__Provider"] = "PostgreSql",
        ["Database__MigrateOnStartup"] = "false",
        ["ConnectionStrings__Default"] = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            ApplicationName = nodeName,
            MaxPoolSize = 20,
        }.ConnectionString,
        ["ConnectionStrings__Redis"] = _redis,
        ["Redis__KeyPrefix"] = RedisKeyPrefix,
        // As in production (docker-compose.yml): one Data Protection key ring for both nodes, in Redis.
        ["DataProtection__Redis"] = "true",
        ["Demo__Enabled"] = "false",
        ["Admin__Email"] = AdminEmail,
        ["Admin__Password"] = _adminPassword,
        ["Leads__ContactKey"] = contactKey,
        ["App__PublicBaseUrl"] = "",
        // Behind a proxy in production; here each test "visitor" comes from its own X-Forwarded-For address.
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        ["Jobs__IntervalSeconds"] = JobInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ["Jobs__ScheduledPayoutsEveryMinutes"] = "0.02",
        // The test's webhook and postback listeners are on 127.0.0.1.
        ["Tracking__Postback__AllowPrivateTargets"] = "true",
        // Postbacks follow their clicks within milliseconds here; the "too fast" rule has tests of its own.
        ["Tracking__ConversionFraud__MinSecondsAfterClick"] = "0",
        ["RateLimits__AuthPerMinute"] = "100000",
        // The races below send many requests at once on purpose; admission control has its own test (AdmissionTests).
        ["Admission__MaxConcurrent"] = "10000",
        ["Leads__PerIpPerMinute"] = "100000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };

    /// <summary>Where each node's whole output is written when the class is done (the last run's; overwritten).</summary>
    public static string LogDirectory => Path.Combine(Path.GetTempPath(), "leadex-multinode");

    /// <summary>The last lines each node printed, for failure messages.</summary>
    public string LogTails(int lines = 40) =>
        string.Join("\n", Nodes.Where(n => n is not null).Select(n => n.Process.LogTail(lines))) + $"\n(whole logs in {LogDirectory} after the run)";

    /// <summary>
    /// The background work of both nodes ran clean so far: no job step failed, no hold release failed, no outbox attempt
    /// failed (the nodes log at Warning and above). Steps racing the other node's must lose quietly (a claim not won, a
    /// conditional update of zero rows), never fail.
    /// </summary>
    public void AssertNoJobFailed()
    {
        string[] failures =
        [
            "fail: LeadExchange.Infrastructure.Jobs.BackgroundJobs",
            "fail: LeadExchange.Application.Ledger.ReleaseDueHoldsHandler",
            ": LeadExchange.Infrastructure.Outbox.OutboxDispatcher",
        ];
        foreach (var node in Nodes)
        {
            var log = node.Process.Log;
            var at = failures.Select(f => log.IndexOf(f, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            Assert.True(at < 0, $"Background work failed on {node.Name}:\n{log[Math.Max(0, at - 200)..Math.Min(log.Length, at + 3000)]}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { A, B })
            if (node is not null)
            {
                await node.DisposeAsync();
                // The whole output of the last run, for a failure whose log tail in the message is not enough.
                Directory.CreateDirectory(LogDirectory);
                await File.WriteAllTextAsync(Path.Combine(LogDirectory, node.Name.Replace(' ', '-') + ".log"), node.Process.Log);
            }
        try
        {
            using var redis = await ConnectionMultiplexer.ConnectAsync(_redis);
            await TestServices.DeleteRedisKeysAsync(redis, RedisKeyPrefix);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            // Best effort: the keys are namespaced and expire.
        }
        await TestServices.DropPostgresDatabaseAsync(_database.ConnectionString, nameof(TwoNodeCluster));
    }
}
