using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Platform;

/// <summary>Health endpoints, provider selection and the OpenAPI document.</summary>
public abstract class HealthAndOpenApiTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task HealthLive_WhenAppRuns_Returns200()
    {
        using var client = factory.CreateAnonymousClient();
        await (await client.GetAsync("/health/live")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HealthReady_WhenDatabaseAndRedisConfigured_ReportsBothHealthyWithRealRedis()
    {
        using var client = factory.CreateAnonymousClient();
        var body = await (await client.GetAsync("/health/ready")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Healthy", body.Str("status"));
        var checks = body.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").Str("status"));
        var expectedProvider = factory.Database == TestDatabase.Sqlite
            ? "Microsoft.EntityFrameworkCore.Sqlite"
            : "Npgsql.EntityFrameworkCore.PostgreSQL";
        Assert.Equal(expectedProvider, checks.GetProperty("database").Str("detail"));
        Assert.Equal("Healthy", checks.GetProperty("redis").Str("status"));
        Assert.Equal("redis", checks.GetProperty("redis").Str("detail"));
    }

    [Fact]
    public async Task Startup_WhenProviderConfigured_MigratesTheTestDatabaseAndSeedsIt()
    {
        var (provider, connectionString, demoUsers) = await factory.WithDbAsync(async db => (
            db.Database.ProviderName,
            db.Database.GetConnectionString(),
            await db.Users.CountAsync(u => u.Email!.EndsWith("@demo.test"))));

        // The app really runs on this class's own database, not on the default SQLite file (on PostgreSQL with Npgsql's
        // automatic statement preparation added, since the connection string does not say otherwise).
        if (factory.Database == TestDatabase.PostgreSql)
        {
            var used = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            Assert.Equal(new Npgsql.NpgsqlConnectionStringBuilder(factory.ConnectionString).Database, used.Database);
            Assert.Equal(64, used.MaxAutoPrepare);
        }
        else Assert.Equal(factory.ConnectionString, connectionString);
        Assert.Contains("leadex_test_", connectionString);
        Assert.Equal(factory.Database == TestDatabase.PostgreSql
            ? "Npgsql.EntityFrameworkCore.PostgreSQL"
            : "Microsoft.EntityFrameworkCore.Sqlite", provider);
        Assert.Empty(await factory.WithDbAsync(db => db.Database.GetPendingMigrationsAsync()));
        Assert.Equal(4, demoUsers);
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_DocumentsTheV1Routes()
    {
        using var client = factory.CreateAnonymousClient();
        var response = await client.GetAsync("/swagger/v1/swagger.json");
        var body = await response.ExpectJsonAsync(HttpStatusCode.OK);

        var paths = body.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/offers", paths);
        Assert.Contains("/api/v1/auth/register", paths);
        Assert.Contains("/api/v1/offers/{id}/join", paths);
        // Only the public API is documented, not MVC pages.
        Assert.All(paths, p => Assert.StartsWith("/api/", p));
    }
}

public sealed class HealthAndOpenApiTests_Sqlite(SqliteFactory factory) : HealthAndOpenApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class HealthAndOpenApiTests_PostgreSql(PostgreSqlFactory factory) : HealthAndOpenApiTests(factory), IClassFixture<PostgreSqlFactory>;

/// <summary>Production's first admin comes from configuration, not from demo mode.</summary>
public sealed class BootstrapAdminFactory() : LeadExchangeFactory(TestDatabase.Sqlite)
{
    public const string Email = "root@ops.example";
    public const string Password = "Bootstrap1Admin";

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Admin:Email", Email);
        builder.UseSetting("Admin:Password", Password);
        // Outside demo mode the contact key must come from configuration (start-up fails without one).
        builder.UseSetting("Leads:ContactKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    }
}

/// <summary>The app on SQLite in an environment and with settings of its own: for the checks that stop a start.</summary>
internal sealed class StartupCheckFactory(string environment, params (string Key, string Value)[] settings) : LeadExchangeFactory(TestDatabase.Sqlite)
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    /// <summary>Starts the app, which must fail; the whole exception text.</summary>
    public async Task<string> StartFailureAsync() => (await Assert.ThrowsAnyAsync<Exception>(InitializeAsync)).ToString();
}

/// <summary>Demo off and no contact key: the app must refuse to start rather than store contacts unprotected.</summary>
public sealed class MissingContactKeyTests
{
    [Fact]
    public async Task Startup_WhenDemoOffAndNoContactKey_FailsWithTheSettingsName()
    {
        await using var factory = new StartupCheckFactory("Development", ("Demo:Enabled", "false"));
        Assert.Contains("Leads:ContactKey", await factory.StartFailureAsync());
    }
}

/// <summary>Issue "Trust": with the Production environment and the embedded defaults (demo on), admin@demo.test / Demo!2345 signed in.</summary>
public sealed class DemoInProductionTests
{
    [Fact]
    public async Task Startup_WhenProductionAndDemoOn_FailsWithTheSettingsName_BeforeTheDatabaseIsTouched()
    {
        await using var factory = new StartupCheckFactory("Production");
        var error = await factory.StartFailureAsync();
        Assert.Contains("Demo:Enabled", error);
        Assert.Contains("Production", error);

        // No migration ran and no demo account was created: nothing is left for a later start with demo off.
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var tables = db.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'AspNetUsers'";
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync())!);
    }
}

public sealed class BootstrapAdminTests(BootstrapAdminFactory factory) : IClassFixture<BootstrapAdminFactory>
{
    [Fact]
    public async Task Startup_WhenAdminConfiguredAndDemoOff_CreatesOnlyThatAdmin()
    {
        using var anonymous = factory.CreateAnonymousClient();
        // The first admin has no two-factor sign-in yet: no key until they set it up in the browser.
        await (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(anonymous, "/api/v1/auth/keys",
            new { email = BootstrapAdminFactory.Email, password = BootstrapAdminFactory.Password, name = "ops" })).ExpectProblemAsync(System.Net.HttpStatusCode.Forbidden);
        await TwoFactorCodes.TurnOnAsync(factory, BootstrapAdminFactory.Email, BootstrapAdminFactory.Password);
        var key = await (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(anonymous, "/api/v1/auth/keys",
            new { email = BootstrapAdminFactory.Email, password = BootstrapAdminFactory.Password, name = "ops", twoFactorCode = await TwoFactorCodes.NextAsync(factory, BootstrapAdminFactory.Email) }))
            .ExpectJsonAsync(System.Net.HttpStatusCode.Created);
        using var admin = factory.CreateClientWithKey(key.Str("apiKey"));
        var users = await (await admin.GetAsync("/api/v1/admin/users")).ExpectJsonAsync(System.Net.HttpStatusCode.OK);
        var only = Assert.Single(users.GetProperty("items").EnumerateArray());
        Assert.Equal(BootstrapAdminFactory.Email, only.Str("email"));
        var demo = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(anonymous, "/api/v1/auth/keys",
            new { email = "admin@demo.test", password = "Demo!2345", name = "x" });
        await demo.ExpectStatusAsync(System.Net.HttpStatusCode.Unauthorized);
    }
}
