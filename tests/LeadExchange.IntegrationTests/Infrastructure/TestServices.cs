using Npgsql;
using StackExchange.Redis;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>
/// The real services the suite runs against, named by environment variables (test.sh exports both).
/// A missing variable fails the tests that need it with a message saying what to set: integration tests
/// that silently skip would report green without testing anything.
/// </summary>
public static class TestServices
{
    public const string PostgresVariable = "LEADEX_TEST_POSTGRES";
    public const string RedisVariable = "LEADEX_TEST_REDIS";

    /// <summary>Npgsql connection string of a server where the user may CREATE DATABASE.</summary>
    public static string Postgres => Require(PostgresVariable,
        "an Npgsql connection string whose user may create databases, e.g. " +
        "\"Host=127.0.0.1;Port=5432;Username=leadex;Password=leadex;Database=postgres\"");

    /// <summary>StackExchange.Redis configuration string, e.g. "127.0.0.1:6379".</summary>
    public static string Redis => Require(RedisVariable, "a StackExchange.Redis configuration, e.g. \"127.0.0.1:6379\"");

    private static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"{variable} is not set. The integration tests need real services: set {variable} to {what}, " +
                "or run ./test.sh, which starts PostgreSQL and Redis and exports both variables.");
        return value;
    }

    /// <summary>A short random suffix for database names, key prefixes, emails and codes.</summary>
    public static string ShortId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>Deletes every key under <paramref name="prefix"/> from the shared Redis (at most 5 s of SCAN: this is only tidying).</summary>
    public static async Task DeleteRedisKeysAsync(IConnectionMultiplexer redis, string prefix)
    {
        // Bounded: on a Redis holding millions of other keys (a benchmark's) SCAN is slow.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var endpoint in redis.GetEndPoints())
        {
            var keys = new List<RedisKey>();
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: prefix + "*", pageSize: 5000).WithCancellation(budget.Token))
                keys.Add(key);
            if (keys.Count > 0) await redis.GetDatabase().KeyDeleteAsync(keys.ToArray());
        }
    }

    /// <summary>Drops the test database of <paramref name="connectionString"/> (FORCE: its pools may still hold sessions); best effort.</summary>
    public static async Task DropPostgresDatabaseAsync(string connectionString, string owner)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        var databaseName = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var admin = new NpgsqlConnectionStringBuilder(Postgres) { Pooling = false }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex)
            {
                // FORCE still fails (55006) when a terminated session takes over 5 s to exit on a loaded machine,
                // or when a late background task reconnects in between. A leftover test database is only clutter
                // (test.sh drops leftovers before each run); it must not fail the run.
                await Console.Error.WriteLineAsync($"[{owner} cleanup] dropping {databaseName} failed (attempt {attempt}): {ex.SqlState} {ex.MessageText}");
                if (attempt >= 3) return;
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}
