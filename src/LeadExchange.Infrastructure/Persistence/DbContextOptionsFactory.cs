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
            DatabaseProvider.PostgreSql => options.UseNpgsql(connectionString, o =>
            {
                o.MigrationsAssembly(migrations);
                o.EnableRetryOnFailure(3);
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
    }

    public static DbContextOptions<AppDbContext> Build(DatabaseProvider provider, string connectionString) =>
        (DbContextOptions<AppDbContext>)Configure(new DbContextOptionsBuilder<AppDbContext>(), provider, connectionString).Options;
}
