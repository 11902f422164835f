using System.Net;
using System.Net.Http.Json;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Identity;

/// <summary>The profile through the API: read, update, and field errors.</summary>
public abstract class ProfileTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task UpdateProfile_WhenValid_IsReturnedAndKept()
    {
        var user = await factory.RegisterAsync("webmaster", "Old name");
        var updated = await (await user.Client.PutAsJsonAsync("/api/v1/profile", new { displayName = "New name", timeZone = "Europe/Moscow", culture = "ru" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("New name", updated.Str("displayName"));

        var read = await (await user.Client.GetAsync("/api/v1/profile")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Europe/Moscow", read.Str("timeZone"));
        Assert.Equal("ru", read.Str("culture"));
        Assert.Equal(user.Email, read.Str("email"));
        Assert.Contains("Webmaster", read.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task UpdateProfile_WhenZoneAndLanguageUnknown_NamesBothFields()
    {
        var user = await factory.RegisterAsync("advertiser");
        var errors = await (await user.Client.PutAsJsonAsync("/api/v1/profile", new { displayName = "", timeZone = "Mars/Base", culture = "xx" }))
            .ExpectValidationErrorsAsync();
        Assert.Contains("displayName", errors.Keys);
        Assert.Contains("timeZone", errors.Keys);
        Assert.Contains("culture", errors.Keys);
    }
}

public sealed class ProfileTests_Sqlite(SqliteFactory factory) : ProfileTests(factory), IClassFixture<SqliteFactory>;

public sealed class ProfileTests_PostgreSql(PostgreSqlFactory factory) : ProfileTests(factory), IClassFixture<PostgreSqlFactory>;
