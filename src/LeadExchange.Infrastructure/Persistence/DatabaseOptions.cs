using System.ComponentModel.DataAnnotations;

namespace LeadExchange.Infrastructure.Persistence;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>Section "Database". The connection string is ConnectionStrings:Default.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up (demo and development). Production runs scripts/migrate.sh instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public static string MigrationsAssembly(DatabaseProvider provider) => $"LeadExchange.Migrations.{provider}";
}
