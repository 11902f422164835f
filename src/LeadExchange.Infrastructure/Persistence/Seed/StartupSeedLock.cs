using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>
/// One app instance at a time seeds the database. Replicas started together (<c>docker compose up</c> with two app
/// replicas after the one-shot migration) would otherwise each find the same roles, niches, regions or admin missing,
/// both insert them, and the loser would stop at start-up with a unique-key violation. A session-level lock of the
/// database server (PostgreSQL advisory lock, SQL Server application lock) held on the context's connection while
/// seeding; it is released when disposed, or by the server when the process dies. SQLite serves one process: no lock.
/// </summary>
public sealed class StartupSeedLock : IAsyncDisposable
{
    // Any constant: identifies "LeadExchange start-up seeding" among the server's advisory locks.
    private const long PostgresKey = 0x4C58_5345_4544; // "LXSEED"
    private const string SqlServerResource = "LeadExchange.StartupSeed";

    private readonly AppDbContext _db;
    private readonly string _releaseSql;

    private StartupSeedLock(AppDbContext db, string releaseSql)
    {
        _db = db;
        _releaseSql = releaseSql;
    }

    public static async Task<IAsyncDisposable> AcquireAsync(AppDbContext db, DatabaseProvider provider, ILogger logger, CancellationToken ct)
    {
        var (trySql, releaseSql) = provider switch
        {
            DatabaseProvider.PostgreSql => ($"SELECT CASE WHEN pg_try_advisory_lock({PostgresKey}) THEN 1 ELSE 0 END",
                $"SELECT pg_advisory_unlock({PostgresKey})"),
            DatabaseProvider.SqlServer => ("DECLARE @result int; " +
                $"EXEC @result = sp_getapplock @Resource = N'{SqlServerResource}', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 0; " +
                "SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END",
                $"EXEC sp_releaseapplock @Resource = N'{SqlServerResource}', @LockOwner = N'Session'"),
            _ => ("", ""),
        };
        if (trySql.Length == 0) return new StartupSeedLock(db, "");

        // Held by the session: the connection stays open (EF uses it for the seeding too) until disposed.
        await db.Database.OpenConnectionAsync(ct);
        var waited = false;
        // Polled rather than a blocking lock call, so no command timeout can cut a long wait (another node's demo seeding) short.
        while (!await ScalarIsOneAsync(db.Database.GetDbConnection(), trySql, ct))
        {
            if (!waited) logger.LogInformation("Another instance is seeding the database; waiting for it");
            waited = true;
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
        return new StartupSeedLock(db, releaseSql);
    }

    private static async Task<bool> ScalarIsOneAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        if (_releaseSql.Length == 0) return;
        try
        {
            await using var command = _db.Database.GetDbConnection().CreateCommand();
            command.CommandText = _releaseSql;
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
