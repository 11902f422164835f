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
}
