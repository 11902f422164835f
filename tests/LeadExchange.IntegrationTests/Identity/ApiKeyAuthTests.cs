using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Identity;

/// <summary>The X-Api-Key scheme: missing, wrong and revoked keys, and keys issued by email and password.</summary>
public abstract class ApiKeyAuthTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task ApiKeys_WhenNoHeader_Returns401ProblemJson()
    {
        using var anonymous = factory.CreateAnonymousClient();

        var response = await anonymous.GetAsync("/api/v1/api-keys");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.Str("detail"));
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("lx_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ApiKeys_WhenKeyUnknown_Returns401(string key)
    {
        using var client = factory.CreateClientWithKey(key);
        await (await client.GetAsync("/api/v1/offers")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiKeys_WhenRightPrefixButWrongSecret_Returns401()
    {
        var user = await factory.RegisterAsync("webmaster");
        var forged = user.ApiKey[..12] + new string('Z', 32);
        using var client = factory.CreateClientWithKey(forged);

        await (await client.GetAsync("/api/v1/api-keys")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokeKey_WhenOwnerRevokes_KeyStopsWorkingAndOthersKeepWorking()
    {
        var user = await factory.RegisterAsync("advertiser");
        var created = await (await user.Client.PostJsonAsync("/api/v1/api-keys", new { name = "ci server" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var secondKey = created.Str("apiKey");
        var secondId = created.Str("id");
        using var second = factory.CreateClientWithKey(secondKey);
        await (await second.GetAsync("/api/v1/api-keys")).ExpectStatusAsync(HttpStatusCode.OK);

        await (await user.Client.DeleteAsync($"/api/v1/api-keys/{secondId}")).ExpectStatusAsync(HttpStatusCode.NoContent);

        await (await second.GetAsync("/api/v1/api-keys")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var keys = await (await user.Client.GetAsync("/api/v1/api-keys")).ExpectJsonAsync(HttpStatusCode.OK);
        var revoked = keys.EnumerateArray().Single(k => k.Str("id") == secondId);
        Assert.False(revoked.IsNull("revokedAt"));
        Assert.Equal("ci server", revoked.Str("name"));
    }

    [Fact]
    public async Task RevokeKey_WhenKeyBelongsToSomeoneElse_Returns404AndKeyStillWorks()
    {
        var owner = await factory.RegisterAsync("advertiser");
        var other = await factory.RegisterAsync("advertiser");
        var ownerKeyId = (await (await owner.Client.GetAsync("/api/v1/api-keys")).ExpectJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Single().Str("id");

        await (await other.Client.DeleteAsync($"/api/v1/api-keys/{ownerKeyId}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        await (await owner.Client.GetAsync("/api/v1/api-keys")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AuthKeys_WhenPasswordWrong_Returns401AndIssuesNoKey()
    {
        var user = await factory.RegisterAsync("webmaster");
        using var anonymous = factory.CreateAnonymousClient();

        var response = await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = "Wrong-pass1", name = "x" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.False(problem.TryGetProperty("apiKey", out _));
        var keys = await (await user.Client.GetAsync("/api/v1/api-keys")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Single(keys.EnumerateArray());
    }

    [Fact]
    public async Task AuthKeys_WhenEmailUnknown_Returns401()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var response = await anonymous.PostJsonAsync("/api/v1/auth/keys",
            new { email = $"nobody-{TestServices.ShortId()}@tests.example", password = "Passw0rd!", name = "x" });
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AuthKeys_WhenPasswordRight_Returns201AndNewKeyWorks()
    {
        var user = await factory.RegisterAsync("webmaster");
        using var anonymous = factory.CreateAnonymousClient();

        var body = await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = user.Password, name = "laptop" }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var newKey = body.Str("apiKey");
        Assert.NotEqual(user.ApiKey, newKey);
        Assert.Matches("^lx_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$", newKey);
        using var client = factory.CreateClientWithKey(newKey);
        var keys = await (await client.GetAsync("/api/v1/api-keys")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Default", "laptop"], keys.EnumerateArray().Select(k => k.Str("name")).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task AuthKeys_WhenModeratorSignsIn_KeyCarriesModeratorRole()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var body = await (await anonymous.PostJsonAsync("/api/v1/auth/keys",
                new { email = "moderator@demo.test", password = LeadExchangeFactory.DemoPassword, name = "moderation script",
                    twoFactorCode = await TwoFactorCodes.NextAsync(factory, "moderator@demo.test") }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        using var moderator = factory.CreateClientWithKey(body.Str("apiKey"));

        await (await moderator.GetAsync("/api/v1/api-keys")).ExpectStatusAsync(HttpStatusCode.OK);
        // Moderators see every offer (the demo advertiser's included) but are not admins.
        var (_, total, _) = await OfferApi.ListAsync(moderator);
        Assert.True(total >= 4, $"A moderator should see all offers; saw {total}.");
        await (await moderator.GetAsync("/api/v1/admin/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class ApiKeyAuthTests_Sqlite(SqliteFactory factory) : ApiKeyAuthTests(factory), IClassFixture<SqliteFactory>;

public sealed class ApiKeyAuthTests_PostgreSql(PostgreSqlFactory factory) : ApiKeyAuthTests(factory), IClassFixture<PostgreSqlFactory>;
