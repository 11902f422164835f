using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LeadExchange.IntegrationTests.LeadForms;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>
/// The app in production mode (the error pages of Program.cs, not the developer page) on its own PostgreSQL database,
/// which the test takes away while the app runs: connections refused (ALLOW_CONNECTIONS false) and the open ones
/// terminated, as when the server restarts.
/// </summary>
public sealed class DatabaseOutageFactory() : LeadExchangeFactory(TestDatabase.PostgreSql)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        // The demo accounts in Production on purpose (start-up refuses them otherwise: DemoInProductionTests).
        builder.UseSetting("Demo:AllowInProduction", "true");
        builder.UseSetting("Jobs:Enabled", "false");
        // The sign-in cookie's security stamp is checked against the database on every page (SessionValidation); Identity's
        // own validator, which rebuilds the claims (production: once a minute), runs on every request here too.
        builder.ConfigureTestServices(services =>
            services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero));
    }

    private string DatabaseName => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    /// <summary>Refuses new connections to the app's database and ends the open ones (the app's pool is left as it is).</summary>
    public async Task TakeDatabaseAwayAsync()
    {
        await using var admin = new NpgsqlConnection(TestServices.Postgres);
        await admin.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{DatabaseName}\" WITH ALLOW_CONNECTIONS false", admin))
            await alter.ExecuteNonQueryAsync();
        // Only the app's own sessions: an autovacuum worker in that database (a superuser's process, seen under load) cannot be
        // ended by this role, and refusing new connections already keeps it from coming back.
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND usename = current_user AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("db", DatabaseName);
        try
        {
            await terminate.ExecuteScalarAsync();
        }
        catch
        {
            await BringDatabaseBackAsync(); // never leave the next test a database that refuses connections
            throw;
        }
    }

    public async Task BringDatabaseBackAsync()
    {
        await using var admin = new NpgsqlConnection(TestServices.Postgres);
        await admin.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{DatabaseName}\" WITH ALLOW_CONNECTIONS true", admin);
        await alter.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Issue #9 "Faults": while the database is unavailable, requests fail fast enough with 503 and Retry-After (problem details
/// "Database unavailable" for the API, the error page for pages), nothing is half-stored, and the same app answers again
/// once the database is back, without a restart.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageFactory app) : IClassFixture<DatabaseOutageFactory>
{
    /// <summary>The execution strategy's three retries (about 0 + 1 + 3 s) plus the attempts; far below a hang.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task DatabaseDown_ApiAndPagesAnswer503WithRetryAfter_AndRecoverWithoutRestart()
    {
        using var webmaster = await app.DemoClientAsync("webmaster");
        using var browser = await LeadFormHarness.SignInAsync(app, "advertiser@demo.test", LeadExchangeFactory.DemoPassword);
        var lead = LeadIntakeTests.Body(email: $"outage.{TestServices.ShortId()}@example.com");
        await (await webmaster.GetAsync("/api/v1/offers")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await browser.GetAsync("/Advertiser/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);
        var leadsBefore = await app.WithDbAsync(db => db.Leads.CountAsync());
        using var advertiser = await app.DemoClientAsync("advertiser");
        var token = (await (await advertiser.GetAsync("/api/v1/postback-settings")).ExpectJsonAsync(HttpStatusCode.OK)).Str("token");

        await app.TakeDatabaseAwayAsync();
        try
        {
            // A read, a write (lead intake) and a page, each while nothing can reach the database.
            foreach (var send in new Func<Task<HttpResponseMessage>>[] { () => webmaster.GetAsync("/api/v1/offers"), () => webmaster.PostAsJsonAsync("/api/v1/leads", lead) })
            {
                var watch = Stopwatch.StartNew();
                using var response = await send();
                watch.Stop();
                var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.Equal("Database unavailable", problem.Str("title"));
                Assert.Equal("database_unavailable", problem.Str("code"));
                Assert.Equal(503, problem.GetProperty("status").GetInt32());
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                Assert.True(watch.Elapsed < AnswerBound, $"{response.RequestMessage!.RequestUri} took {watch.Elapsed}");
            }

            // A postback keeps the postback contract's shape (API.md), so the advertiser's server logs why and retries.
            using var tracker = app.CreateAnonymousClient();
            using var postback = await tracker.GetAsync($"/postback?click_id={TestServices.ShortId()}&token={token}");
            var answer = await postback.ExpectJsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("error", answer.Str("result"));
            Assert.Equal("database_unavailable", answer.Str("code"));
            Assert.Equal(TimeSpan.FromSeconds(5), postback.Headers.RetryAfter?.Delta);

            using var page = await browser.GetAsync("/Advertiser/Home/Index");
            var html = await page.ExpectStatusAsync(HttpStatusCode.ServiceUnavailable);
            Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString());
            Assert.Contains("Service briefly unavailable", html);
            Assert.Equal(TimeSpan.FromSeconds(5), page.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await app.BringDatabaseBackAsync();
        }

        // The same process answers again: the pool replaces its dead connections by itself.
        await (await webmaster.GetAsync("/api/v1/offers")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await browser.GetAsync("/Advertiser/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);
        // The lead refused with 503 left nothing behind: no lead row, and no dedup key (sent again, it is new, not a duplicate).
        Assert.Equal(leadsBefore, await app.WithDbAsync(db => db.Leads.CountAsync()));
        await (await webmaster.PostAsJsonAsync("/api/v1/leads", lead)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(leadsBefore + 1, await app.WithDbAsync(db => db.Leads.CountAsync()));
    }
    [Fact]
    public async Task SecurityStamp_IsStillChecked_ARoleChangeEndsTheOtherSession()
    {
        // The outage test above keeps a session whose stamp cannot be checked; this one shows the check itself still runs.
        var webmaster = await app.RegisterAsync("webmaster");
        using var browser = await LeadFormHarness.SignInAsync(app, webmaster.Email, webmaster.Password);
        await (await browser.GetAsync("/Webmaster/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<LeadExchange.Application.Common.Interfaces.IIdentityService>()
                .SetRoleAsync(webmaster.UserId, "moderator", granted: true, CancellationToken.None);

        using var after = await browser.GetAsync("/Webmaster/Home/Index");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Which exceptions mean "database unavailable" (503) and which do not (a conflict stays 409, a Redis timeout is not the database).</summary>
public sealed class DatabaseFailuresTests
{
    private static NpgsqlException ConnectionRefused() =>
        new("Failed to connect to 127.0.0.1:5441", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));

    public static TheoryData<string, Exception, bool> Cases => new()
    {
        { "connection refused", ConnectionRefused(), true },
        { "retries used up", new Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException("limit", ConnectionRefused()), true },
        { "save while the server went away", new DbUpdateException("save", ConnectionRefused()), true },
        { "server shutting down (57P01)", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "database not accepting connections (55000)", new PostgresException("database is not currently accepting connections", "FATAL", "FATAL", "55000"), true },
        { "read timeout under a database error", new DbUpdateException("save", new NpgsqlException("Exception while reading from stream", new TimeoutException())), true },
        { "sqlite busy", new Microsoft.Data.Sqlite.SqliteException("database is locked", 5), true },
        { "unique violation (23505)", new DbUpdateException("save", new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), false },
        { "timeout outside a database error (Redis)", new InvalidOperationException("counters", new TimeoutException("Timeout performing EVALSHA")), false },
        { "plain timeout", new TimeoutException(), false },
        { "bug", new InvalidOperationException("Sequence contains no elements"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsUnavailable_TellsOutagesFromOtherFailures(string what, Exception exception, bool unavailable) =>
        Assert.True(LeadExchange.Infrastructure.Persistence.DatabaseFailures.IsUnavailable(exception) == unavailable, what);
}
