using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Infrastructure.Persistence;

/// <summary>The one place that turns (provider, connection string) into EF options; used by the app and the design-time factories.</summary>
public static class DbContextOptionsFactory
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        var migrations = DatabaseOptions.MigrationsAssembly(provider);
        return provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString, o => o.MigrationsAssembly(migrations)),
            DatabaseProvider.SqlServer => options.UseSqlServer(connectionString, o =>
            {
                o.MigrationsAssembly(migrations);
                o.EnableRetryOnFailure(3);
            }),
            DatabaseProvider.PostgreSql => options.UseNpgsql(WithAutoPrepare(connectionString), o =>
            {
                o.MigrationsAssembly(migrations);
                o.EnableRetryOnFailure(3);
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
    }

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string says otherwise: the hot paths send the same few dozen
    /// statements over and over, and a prepared statement is parsed and planned once per connection instead of on every
    /// call (prepared statements survive the pool's reset). pg_stat_statements showed PostgreSQL's CPU per postback well
    /// above its statements' execution time before (docs/benchmarks.md).
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase)) return connectionString;
        builder.MaxAutoPrepare = 64;
        builder.AutoPrepareMinUsages = 3;
        return builder.ConnectionString;
    }

    public static DbContextOptions<AppDbContext> Build(DatabaseProvider provider, string connectionString) =>
        (DbContextOptions<AppDbContext>)Configure(new DbContextOptionsBuilder<AppDbContext>(), provider, connectionString).Options;
}
