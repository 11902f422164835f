using System.Globalization;
using System.Net;
using LeadExchange.Domain.Identity;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Tracking;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Platform;

/// <summary>
/// The app's request limits: auth (API and the sign-in/sign-up pages), postbacks and pixels, lead intake (API and hosted
/// form). Its own app with low limits (<see cref="RateLimitedSqliteFactory"/>; the other factories set auth to 10,000), on
/// SQLite only: the limiter lives in the web layer and does not touch the database.
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

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/register")]
    public async Task SignInAndSignUpPages_WhenPostedMoreThanTheLimit_Answer429(string path)
    {
        using var browser = FromNewAddress();

        // Counted before antiforgery: a password-guessing script without tokens uses up the allowance too.
        for (var i = 0; i < RateLimitedSqliteFactory.Limit; i++)
            await (await browser.PostAsync(path, new FormUrlEncodedContent([]))).ExpectStatusAsync(HttpStatusCode.BadRequest);

        var limited = await browser.PostAsync(path, new FormUrlEncodedContent([]));

        await limited.ExpectStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.Contains("Retry-After"), "429 without a Retry-After header.");
        // Another address is not affected.
        using var other = FromNewAddress();
        await (await other.PostAsync(path, new FormUrlEncodedContent([]))).ExpectStatusAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/postback")]
    [InlineData("/pixel.gif")]
    public async Task PostbacksAndPixel_WhenOneAddressSendsABurst_AnswerRateLimitedInThePostbackShape(string path)
    {
        using var tracker = FromNewAddress();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < RateLimitedSqliteFactory.PostbackPerSecond * 6; i++)
            responses.Add(await tracker.GetAsync($"{path}?click_id=test&token=nope"));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count >= RateLimitedSqliteFactory.PostbackPerSecond,
            $"Only {limited.Count} of {responses.Count} burst postbacks were limited.");
        var body = await limited[0].ExpectJsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", body.Str("code"));
        Assert.True(limited[0].Headers.Contains("Retry-After"));
        Assert.All(responses.Take(RateLimitedSqliteFactory.PostbackPerSecond * 2), r => Assert.NotEqual(HttpStatusCode.TooManyRequests, r.StatusCode));
    }

    [Fact]
    public async Task LeadIntake_WhenOneApiKeySendsABurst_Answers429ProblemDetails()
    {
        // A key made in the database: the auth API is itself limited to a few calls in this app.
        var (key, plain) = ApiKey.Create(await DemoWebmasterIdAsync(), "rate limit", TestTime.UtcNow);
        await factory.WithDbAsync(async db => { db.ApiKeys.Add(key); return await db.SaveChangesAsync(); });
        using var seller = factory.CreateClientWithKey(plain);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < RateLimitedSqliteFactory.LeadsPerSecond * 8; i++)
        {
            var response = await seller.PostRawJsonAsync("/api/v1/leads", "{}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }

        Assert.NotNull(limited);
        await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, statuses[0]);
    }

    [Fact]
    public async Task HostedLeadForm_WhenOneAddressPostsABurst_Answers429()
    {
        using var visitor = FromNewAddress();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitedSqliteFactory.LeadsPerSecond * 8; i++)
            statuses.Add((await visitor.PostAsync("/f/no-such-form", new FormUrlEncodedContent([]))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    /// <summary>A client of its own address (X-Forwarded-For), so its per-address counters are its own.</summary>
    [Fact]
    public async Task Api_WhenOneAddressFloodsWithRandomKeys_Answers429BeforeTheKeyLookup_OtherAddressesUnaffected()
    {
        using var flooder = FromNewAddress();
        var burst = RateLimitedSqliteFactory.ApiLimitPerSecond * 2;
        async Task<HttpResponseMessage> WrongKeyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/profile");
            request.Headers.Add("X-Api-Key", "lx_" + Guid.NewGuid().ToString("N"));
            return await flooder.SendAsync(request);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, burst * 3).Select(_ => WrongKeyAsync()));

        // The bucket holds twice the per-second limit: that many (plus the refill while the flood lasts) reach
        // authentication and get 401; the rest are cut off before the key lookup.
        var unauthorized = responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(responses.Length, unauthorized + limited.Count);
        Assert.True(unauthorized >= burst, $"only {unauthorized} reached authentication");
        Assert.True(limited.Count >= burst / 2, $"only {limited.Count} of {responses.Length} were limited");
        await limited[0].ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited[0].Headers.Contains("Retry-After"), "429 without a Retry-After header.");
        // Another address, and pages or health outside /api/v1, are not affected.
        using var other = FromNewAddress();
        await (await other.GetAsync("/api/v1/profile")).ExpectStatusAsync(HttpStatusCode.Unauthorized);
        await (await flooder.GetAsync("/health/live")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    private HttpClient FromNewAddress()
    {
        var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ClickFactory.NextIp());
        return client;
    }

    private Task<string> DemoWebmasterIdAsync() =>
        factory.WithDbAsync(db => db.Users.Where(u => u.Email == "webmaster@demo.test").Select(u => u.Id).SingleAsync());
}
