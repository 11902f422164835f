using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LeadExchange.IntegrationTests.Identity;

/// <summary>POST /api/v1/auth/register: the first API key, field errors, and how the key is stored.</summary>
public abstract partial class RegistrationTests(LeadExchangeFactory factory)
{
    [GeneratedRegex("^lx_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$")]
    private static partial Regex ApiKeyFormat();

    private static object Body(string email, string password = "Passw0rd!", string role = "advertiser") =>
        new { email, password, role, displayName = "Registration test" };

    private static string NewEmail() => $"reg-{TestServices.ShortId()}@tests.example";

    [Fact]
    public async Task Register_WhenValid_Returns201WithUserIdAndWorkingApiKey()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var email = NewEmail();

        var body = await (await anonymous.PostJsonAsync("/api/v1/auth/register", Body(email, role: "webmaster")))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var userId = body.Str("userId");
        var apiKey = body.Str("apiKey");
        Assert.False(string.IsNullOrWhiteSpace(userId));
        Assert.Matches(ApiKeyFormat(), apiKey);

        using var client = factory.CreateClientWithKey(apiKey);
        var keys = await (await client.GetAsync("/api/v1/api-keys")).ExpectJsonAsync(HttpStatusCode.OK);
        var key = Assert.Single(keys.EnumerateArray());
        Assert.Equal(apiKey.Substring(3, 8), key.Str("prefix"));
        Assert.True(key.IsNull("revokedAt"));

        // The account exists with the chosen role.
        var roles = await factory.WithDbAsync(db => (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where ur.UserId == userId
            select r.Name).ToListAsync());
        Assert.Equal(["Webmaster"], roles);
    }

    [Fact]
    public async Task Register_WhenEmailAlreadyUsed_Returns422WithEmailError()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var email = NewEmail();
        await (await anonymous.PostJsonAsync("/api/v1/auth/register", Body(email))).ExpectStatusAsync(HttpStatusCode.Created);

        var errors = await (await anonymous.PostJsonAsync("/api/v1/auth/register", Body(email.ToUpperInvariant())))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("email");
        Assert.Equal(1, await factory.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("moderator")]
    [InlineData("")]
    public async Task Register_WhenRoleNotSelfService_Returns422WithRoleErrorAndNoAccount(string role)
    {
        using var anonymous = factory.CreateAnonymousClient();
        var email = NewEmail();

        var errors = await (await anonymous.PostJsonAsync("/api/v1/auth/register", Body(email, role: role))).ExpectValidationErrorsAsync();

        errors.AssertHasError("role");
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Theory]
    [InlineData("short1")]
    [InlineData("alllowercaseletters")]
    public async Task Register_WhenPasswordWeak_Returns422WithPasswordErrorAndNoAccount(string password)
    {
        using var anonymous = factory.CreateAnonymousClient();
        var email = NewEmail();

        var errors = await (await anonymous.PostJsonAsync("/api/v1/auth/register", Body(email, password))).ExpectValidationErrorsAsync();

        errors.AssertHasError("password");
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Fact]
    public async Task Register_WhenEmailMalformed_Returns422WithEmailError()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var errors = await (await anonymous.PostJsonAsync("/api/v1/auth/register", Body("not-an-email"))).ExpectValidationErrorsAsync();
        errors.AssertHasError("email");
    }

    [Fact]
    public async Task Register_WhenKeyIssued_StoresOnlyItsHashAndNoColumnHoldsThePlainKey()
    {
        var user = await factory.RegisterAsync("advertiser");
        var secret = user.ApiKey[12..];

        var stored = await factory.WithDbAsync(db => db.ApiKeys.AsNoTracking().Where(k => k.UserId == user.UserId).ToListAsync());
        var key = Assert.Single(stored);
        Assert.Equal(user.ApiKey.Substring(3, 8), key.Prefix);
        Assert.NotEqual(user.ApiKey, key.Hash);
        Assert.DoesNotContain(secret, key.Hash, StringComparison.Ordinal);
        Assert.Matches("^[0-9A-Fa-f]{64}$", key.Hash);

        // Every text column of every table: neither the whole key nor its secret part appears anywhere.
        var hits = await factory.WithDbAsync(db => FindTextInAnyColumnAsync(db, secret));
        Assert.Empty(hits);
    }

    /// <summary>"table.column" for each string column whose value contains <paramref name="needle"/>.</summary>
    private static async Task<List<string>> FindTextInAnyColumnAsync(AppDbContext db, string needle)
    {
        var columns = new List<(string Table, string Column)>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null) continue;
            var storeObject = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var providerType = property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
                if (providerType != typeof(string)) continue;
                var column = property.GetColumnName(storeObject);
                if (column is not null) columns.Add((table, column));
            }
        }
        Assert.Contains(columns, c => c.Table == "ApiKeys" && c.Column == "Hash");

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var hits = new List<string>();
            foreach (var (table, column) in columns.Distinct())
            {
                await using DbCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" LIKE @needle";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@needle";
                parameter.Value = "%" + needle + "%";
                command.Parameters.Add(parameter);
                if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0)
                    hits.Add($"{table}.{column}");
            }
            return hits;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed class RegistrationTests_Sqlite(SqliteFactory factory) : RegistrationTests(factory), IClassFixture<SqliteFactory>;

public sealed class RegistrationTests_PostgreSql(PostgreSqlFactory factory) : RegistrationTests(factory), IClassFixture<PostgreSqlFactory>;
