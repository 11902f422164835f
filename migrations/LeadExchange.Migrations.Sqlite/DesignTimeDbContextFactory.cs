using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Design;

namespace LeadExchange.Migrations.Sqlite;

/// <summary>
/// Lets dotnet-ef build the model for Sqlite without starting the web app. The connection string is
/// only used by commands that touch a database (database update); pass --connection to override it.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsFactory.Build(DatabaseProvider.Sqlite,
            Environment.GetEnvironmentVariable("ConnectionStrings__Default") is { Length: > 0 } cs ? cs : "Data Source=design-time.db"));
}
