using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Tracking;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Leads;

/// <summary>API.md "Lead submission": validation by field, dedup under races, scoring, pricing, PII at rest, idempotency, CPL conversions.</summary>
public abstract class LeadIntakeTests(PostbackFactory app)
{
    private static int _phone = 1_000_000;

    /// <summary>A distinct valid Moscow mobile per call.</summary>
    public static string NextPhone() => $"+7 916 {Interlocked.Increment(ref _phone) % 10_000_000:D7}";

    public static JsonObject Body(string? phone = null, string niche = "real-estate", string region = "RU-MOW", string? email = null) => new()
    {
        ["niche"] = niche,
        ["region"] = region,
        ["name"] = "Ivan Petrov",
        ["phone"] = phone ?? NextPhone(),
        ["email"] = email,
        ["fields"] = new JsonObject { ["deal_type"] = "buy", ["rooms"] = 2, ["budget"] = 12_000_000, ["timeframe"] = "now" },
        ["consent"] = new JsonObject
        {
            ["text"] = "I agree to be contacted.", ["givenAt"] = TestTime.UtcNow.AddMinutes(-2).ToString("O"),
            ["pageUrl"] = "https://landing.example/flat", ["ip"] = Tracking.ClickFactory.NextIp(),
        },
        ["sub1"] = "fb-campaign-7",
        ["formFillSeconds"] = 41,
    };

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, JsonObject body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leads") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Submit_ValidLead_Answers201WithScorePriceAndBreakdown_AndStoresContactEncrypted()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var phone = NextPhone();

        var body = await (await SubmitAsync(webmaster.Client, Body(phone, email: "Ivan.Petrov@Example.com"))).ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal("on_sale", body.Str("status"));
        Assert.Equal("hot", body.Str("temperature"));
        Assert.InRange(body.GetProperty("score").GetInt32(), 75, 100);
        var price = body.GetProperty("price");
        Assert.Equal("RUB", price.Str("currency"));
        Assert.True(price.GetProperty("amount").GetInt64() > 0);
        foreach (var factor in new[] { "base", "geo", "season", "temperature", "demand" })
            Assert.True(price.GetProperty("breakdown").TryGetProperty(factor, out _), factor);
        Assert.Equal(0, body.GetProperty("soldTo").GetInt32());

        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == Guid.Parse(body.Str("leadId"))));
        var digits = new string(phone.Where(char.IsDigit).ToArray());
        Assert.DoesNotContain(digits, lead.ContactCipher);
        Assert.DoesNotContain("example.com", lead.ContactCipher, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("+7916***", lead.MaskedPhone);
        Assert.Equal("I*** P*****", lead.MaskedName);
        var contact = JsonNode.Parse(app.Services.GetRequiredService<IContactProtector>().Unprotect(lead.ContactCipher))!;
        Assert.Equal("+7" + digits[1..], contact["phone"]!.ToString());
        Assert.Equal("ivan.petrov@example.com", contact["email"]!.ToString());
        Assert.Equal("Ivan Petrov", contact["name"]!.ToString());
        Assert.Equal("fb-campaign-7", lead.Sub1);
        Assert.Contains("\"timeframe\":\"now\"", lead.FieldsJson);
        Assert.Contains("phone mobile", lead.ScoreBreakdownJson);
    }

    public static TheoryData<string, string, JsonNode?> BadFields => new()
    {
        { "niche", "niche", "no-such-niche" },
        { "region", "region", "RU-XXX" },
        { "phone", "phone", "12345" },
        { "phone", "phone", "+7 916 12" },
        { "phone", "phone", "+1 212 555 0100" },          // a US number for a Moscow lead
        { "phone", "phone", "+7 800 555-35-35" },          // toll-free
        { "email", "email", "not-an-email" },
        { "email", "email", "someone@mailinator.com" },
        { "name", "name", new string('x', 101) },
        { "name", "name", "" },
        { "sub1", "sub1", new string('s', 101) },
        { "fields.deal_type", "fields", new JsonObject { ["rooms"] = 2, ["budget"] = 1 } },
        { "fields.rooms", "fields", new JsonObject { ["deal_type"] = "buy", ["rooms"] = "two", ["budget"] = 1 } },
        { "fields.deal_type", "fields", new JsonObject { ["deal_type"] = "steal", ["budget"] = 1 } },
        { "fields.colour", "fields", new JsonObject { ["deal_type"] = "buy", ["budget"] = 1, ["colour"] = "red" } },
        { "consent.text", "consent", new JsonObject { ["givenAt"] = "2026-11-20T10:00:00Z" } },
        { "consent.givenAt", "consent", new JsonObject { ["text"] = "ok" } },
        { "consent.givenAt", "consent", new JsonObject { ["text"] = "ok", ["givenAt"] = "2099-01-01T00:00:00Z" } },
        { "consent.pageUrl", "consent", new JsonObject { ["text"] = "ok", ["givenAt"] = "2026-11-20T10:00:00Z", ["pageUrl"] = "javascript:alert(1)" } },
        { "consent.ip", "consent", new JsonObject { ["text"] = "ok", ["givenAt"] = "2026-11-20T10:00:00Z", ["ip"] = "999.1.1.1" } },
        { "clickId", "clickId", "NoSuchClick0000000000000" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Submit_BadField_Answers422NamingTheFieldAndStoresNothing(string expectedField, string property, JsonNode? value)
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var body = Body();
        body[property] = value?.DeepClone();

        var errors = await (await SubmitAsync(webmaster.Client, body)).ExpectValidationErrorsAsync();

        errors.AssertHasError(expectedField);
        Assert.Equal(0, await app.WithDbAsync(db => db.Leads.CountAsync(l => l.SellerId == webmaster.UserId)));
    }

    [Fact]
    public async Task Submit_InjectionStrings_AreStoredAsDataAndReturnedVerbatim()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var body = Body();
        body["name"] = "Robert'); DROP TABLE \"Leads\";-- <script>alert(1)</script>";
        body["sub2"] = "<img src=x onerror=alert(1)>";

        var answer = await (await SubmitAsync(webmaster.Client, body)).ExpectJsonAsync(HttpStatusCode.Created);

        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == Guid.Parse(answer.Str("leadId"))));
        Assert.Equal("<img src=x onerror=alert(1)>", lead.Sub2);
        Assert.Contains("DROP TABLE", app.Services.GetRequiredService<IContactProtector>().Unprotect(lead.ContactCipher));
        Assert.True(await app.WithDbAsync(db => db.Leads.AnyAsync()));
    }

    [Fact]
    public async Task Submit_SamePersonTwice_SecondIs409WithTheOriginalsId_AndRecordedAsRejected()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var phone = NextPhone();
        var first = await (await SubmitAsync(webmaster.Client, Body(phone))).ExpectJsonAsync(HttpStatusCode.Created);

        // The same number written differently, from the same seller: still the same person, and their own lead.
        var duplicate = await (await SubmitAsync(webmaster.Client, Body(phone.Replace(" ", "").Replace("+7", "8")))).ExpectJsonAsync(HttpStatusCode.Conflict);

        Assert.Equal("duplicate", duplicate.Str("code"));
        Assert.Equal(first.Str("leadId"), duplicate.Str("duplicateOf"));
        var rejected = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.SellerId == webmaster.UserId && l.Status == LeadStatus.Rejected));
        Assert.Equal(Guid.Parse(first.Str("leadId")), rejected.DuplicateOf);
        Assert.Equal("duplicate", rejected.RejectReason);
    }

    /// <summary>
    /// Security review finding 1: the duplicate answer told a webmaster that another seller had submitted this person (and that
    /// seller's lead id). Now it is a neutral refusal; the record still links the original for moderators.
    /// </summary>
    [Fact]
    public async Task Submit_APersonAnotherSellerSubmitted_IsRefusedWithoutRevealingTheOtherLead()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var other = await app.RegisterAsync("webmaster");
        var phone = NextPhone();
        var first = await (await SubmitAsync(webmaster.Client, Body(phone))).ExpectJsonAsync(HttpStatusCode.Created);

        var again = Body(phone.Replace(" ", "").Replace("+7", "8"));
        var response = await SubmitAsync(other.Client, again);
        var raw = await response.Content.ReadAsStringAsync();
        var refused = await response.ExpectJsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("not_accepted", refused.Str("code"));
        Assert.DoesNotContain(first.Str("leadId"), raw);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, refused.GetProperty("duplicateOf").ValueKind);
        Assert.DoesNotContain("\"duplicate\"", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("already", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("seller", raw, StringComparison.OrdinalIgnoreCase);
        var rejected = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.SellerId == other.UserId));
        Assert.Equal(LeadStatus.Rejected, rejected.Status);
        Assert.Equal(refused.Str("leadId"), rejected.Id.ToString());
        Assert.Equal("not accepted", rejected.RejectReason);
        Assert.Equal(Guid.Parse(first.Str("leadId")), rejected.DuplicateOf);
        // The seller's lead list (page and CSV) shows the record's reason: the neutral one.
        // Another niche is another market: not a duplicate.
        var credit = Body(phone, niche: "credit");
        credit["fields"] = new JsonObject { ["amount"] = 300_000, ["term_months"] = 24 };
        await (await SubmitAsync(other.Client, credit)).ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Submit_FiftyIdenticalInParallel_AcceptOneAndAnswerDuplicateToTheRest()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var body = Body(email: $"same-{Guid.NewGuid():N}@example.com");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SubmitAsync(webmaster.Client, body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var winner = (await responses.Single(r => r.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonObject>())!["leadId"]!.ToString();
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            Assert.Equal(winner, (await r.Content.ReadFromJsonAsync<JsonObject>())!["duplicateOf"]!.ToString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Leads.CountAsync(l => l.SellerId == webmaster.UserId && l.Status == LeadStatus.OnSale)));
    }

    [Fact]
    public async Task Submit_SamePersonToTwoNodesInParallel_AcceptsOne()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        await using var node2 = app.SecondNode();
        await node2.InitializeAsync();
        var second = node2.CreateClientWithKey(webmaster.ApiKey);
        var body = Body();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SubmitAsync(i % 2 == 0 ? webmaster.Client : second, body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task Submit_WithoutRedisFastPath_DatabaseStillRefusesTheDuplicate()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var phone = NextPhone();
        await (await SubmitAsync(webmaster.Client, Body(phone))).ExpectJsonAsync(HttpStatusCode.Created);
        // Redis forgot (flushed, restarted, failed over): the fast-path keys are gone.
        var redis = app.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: app.RedisKeyPrefix + "lead:d:*"))
            await redis.GetDatabase().KeyDeleteAsync(key);

        await (await SubmitAsync(webmaster.Client, Body(phone))).ExpectJsonAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKey_ReturnsTheFirstAnswer()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var key = Guid.NewGuid().ToString();
        var first = await (await SubmitAsync(webmaster.Client, Body(), key)).ExpectJsonAsync(HttpStatusCode.Created);
        var replay = await (await SubmitAsync(webmaster.Client, Body(), key)).ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal(first.Str("leadId"), replay.Str("leadId"));
        Assert.Equal(first.GetProperty("price").GetRawText(), replay.GetProperty("price").GetRawText());
        Assert.Equal(1, await app.WithDbAsync(db => db.Leads.CountAsync(l => l.SellerId == webmaster.UserId)));
    }

    [Fact]
    public async Task Submit_BlockedSellerOrBlocklistedPhone_IsRefused()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var phone = NextPhone();
        var hash = app.Services.GetRequiredService<IContactProtector>().Hash("phone:+7" + new string(phone.Where(char.IsDigit).ToArray())[1..]);
        await app.WithDbAsync(async db =>
        {
            db.Blocklist.Add(new BlocklistEntry(BlocklistKind.Phone, hash, "fraud ring", null, TestTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        (await (await SubmitAsync(webmaster.Client, Body(phone))).ExpectValidationErrorsAsync()).AssertHasError("phone");
        Assert.Equal(LeadStatus.Rejected, await app.WithDbAsync(db => db.Leads.Where(l => l.SellerId == webmaster.UserId).Select(l => l.Status).SingleAsync()));

        await app.WithDbAsync(async db =>
        {
            db.Blocklist.Add(new BlocklistEntry(BlocklistKind.Seller, webmaster.UserId, "quality", null, TestTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        await (await SubmitAsync(webmaster.Client, Body())).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Submit_OverTheSellersVelocity_Answers429WithRetryAfter()
    {
        await using var strict = new StrictLeadLimitsFactory(app.Database);
        await strict.InitializeAsync();
        var webmaster = await strict.RegisterAsync("webmaster");
        for (var i = 0; i < StrictLeadLimitsFactory.PerSeller; i++)
            await (await SubmitAsync(webmaster.Client, Body())).ExpectJsonAsync(HttpStatusCode.Created);

        var refused = await SubmitAsync(webmaster.Client, Body());

        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(1, await strict.WithDbAsync(db => db.Leads.CountAsync(l => l.SellerId == webmaster.UserId && l.Status == LeadStatus.Rejected)));
    }

    [Fact]
    public async Task Submit_WithClickId_BecomesACplConversionOfTheOffer()
    {
        var s = await PostbackHarness.SetupAsync(app);
        var clickId = await PostbackHarness.ClickAsync(app, s.LinkCode);
        var body = Body();
        body["clickId"] = clickId;

        var answer = await (await SubmitAsync(s.Webmaster.Client, body)).ExpectJsonAsync(HttpStatusCode.Created);

        var conversion = await app.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.ClickId == clickId));
        Assert.Equal("lead", conversion.GoalCode);
        Assert.Equal(Guid.Parse(answer.Str("leadId")), conversion.LeadId);
        Assert.Equal(ConversionStatus.Pending, conversion.Status);
        Assert.Equal(25_000, await LedgerHarness.BalanceAsync(app, Domain.Ledger.AccountType.Escrow, s.Advertiser.UserId));
        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == Guid.Parse(answer.Str("leadId"))));
        Assert.Equal(Guid.Parse(s.OfferId), lead.OfferId);
        // Somebody else's click is not the seller's to use.
        var stranger = await app.RegisterAsync("webmaster");
        var foreign = Body();
        foreign["clickId"] = await PostbackHarness.ClickAsync(app, s.LinkCode);
        (await (await SubmitAsync(stranger.Client, foreign)).ExpectValidationErrorsAsync()).AssertHasError("clickId");
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Submit_AsAdvertiser_IsForbidden()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        await (await SubmitAsync(advertiser.Client, Body())).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class LeadIntakeTests_Sqlite(PostbackSqliteFactory app) : LeadIntakeTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class LeadIntakeTests_PostgreSql(PostbackPostgreSqlFactory app) : LeadIntakeTests(app), IClassFixture<PostbackPostgreSqlFactory>;

/// <summary>Three leads per seller per minute, so the velocity rule is reached quickly.</summary>
public sealed class StrictLeadLimitsFactory(TestDatabase database) : PostbackFactory(database)
{
    public const int PerSeller = 3;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Leads:PerSellerPerMinute", PerSeller.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
