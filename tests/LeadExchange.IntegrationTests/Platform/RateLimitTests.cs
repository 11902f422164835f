using System.Globalization;
using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Platform;

/// <summary>
/// The auth endpoints' per-client limit. Its own app with RateLimits:AuthPerMinute=3 (the other factories
/// set 10,000), on SQLite only: the limiter lives in the web layer and does not touch the database.
/// </summary>
public sealed class RateLimitTests(RateLimitedSqliteFactory factory) : IClassFixture<RateLimitedSqliteFactory>
{
    [Fact]
    public async Task AuthKeys_WhenMoreRequestsThanTheLimitInAMinute_Returns429WithRetryAfter()
    {
        using var anonymous = factory.CreateAnonymousClient();
        object Body() => new { email = "webmaster@demo.test", password = LeadExchangeFactory.DemoPassword, name = "rate limit test" };

        for (var i = 0; i < RateLimitedSqliteFactory.Limit; i++)
            await (await anonymous.PostJsonAsync("/api/v1/auth/keys", Body())).ExpectStatusAsync(HttpStatusCode.Created);

        var limited = await anonymous.PostJsonAsync("/api/v1/auth/keys", Body());

        var problem = await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.False(problem.TryGetProperty("apiKey", out _));
        Assert.True(limited.Headers.TryGetValues("Retry-After", out var values), "429 without a Retry-After header.");
        var seconds = int.Parse(values.Single(), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 60);

        // The limit covers the whole auth group (register too), but not the rest of the API.
        await (await anonymous.PostJsonAsync("/api/v1/auth/register",
                new { email = $"rl-{TestServices.ShortId()}@tests.example", password = "Passw0rd!", role = "webmaster", displayName = "RL" }))
            .ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        await (await anonymous.GetAsync("/health/live")).ExpectStatusAsync(HttpStatusCode.OK);
    }
}
