using System.Collections.Concurrent;
using System.Net;
using LeadExchange.IntegrationTests.Buying;
using LeadExchange.IntegrationTests.Disputes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// A lead's contact (name, phone, email) and a person's password never reach a log: every log line the app writes at Trace level, with its
/// structured values, scopes and exceptions, is captured while a lead goes through intake (accepted, refused, duplicate),
/// is bought, worked, exported and disputed; none contains the contact. And the database row holds no contact in clear.
/// </summary>
public sealed class PiiLogTests(LogCaptureFactory app) : IClassFixture<LogCaptureFactory>
{
    [Fact]
    public async Task LeadIntakeAndPurchase_WhenEverythingIsLoggedAtTrace_NoLogLineHoldsTheContact()
    {
        var seller = await app.RegisterAsync("webmaster");
        var buyer = await DisputeHarness.FundedBuyerAsync(app);
        var phone = LeadIntakeTests.NextPhone();
        var digits = BuyingApi.Digits(phone);
        var email = $"zebediah.quixotefield.{TestServices.ShortId()}@example.com";
        const string name = "Zebediah Quixotefield";
        var body = LeadIntakeTests.Body(phone, email: email);
        body["name"] = name;
        var (_, formCode) = await NewFormAsync(app);
        app.Logs.Clear();

        // Passwords: sign-up and a key by password (the action arguments are logged at Trace).
        var password = $"Unique{TestServices.ShortId()}9A!";
        var signUpEmail = $"pii-{TestServices.ShortId()}@tests.example";
        using (var anonymous = app.CreateAnonymousClient())
        {
            await (await anonymous.PostJsonAsync("/api/v1/auth/register", new { email = signUpEmail, password, role = "webmaster", displayName = "Pii" }))
                .ExpectStatusAsync(HttpStatusCode.Created);
            await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = signUpEmail, password, name = "k" })).ExpectStatusAsync(HttpStatusCode.Created);
        }

        // Intake: refused (bad email, then bad phone), accepted, then a duplicate.
        var badEmail = LeadIntakeTests.Body(phone, email: "zebediah..quixotefield@@example");
        badEmail["name"] = name;
        await (await seller.Client.PostJsonAsync("/api/v1/leads", badEmail)).ExpectValidationErrorsAsync();
        var badPhone = LeadIntakeTests.Body("+7 916 12", email: email);
        badPhone["name"] = name;
        await (await seller.Client.PostJsonAsync("/api/v1/leads", badPhone)).ExpectValidationErrorsAsync();
        var accepted = await (await seller.Client.PostJsonAsync("/api/v1/leads", body)).ExpectJsonAsync(HttpStatusCode.Created);
        await (await seller.Client.PostJsonAsync("/api/v1/leads", body)).ExpectStatusAsync(HttpStatusCode.Conflict);

        // The hosted form: a visitor types the same kind of data into the webmaster's form.
        var formPhone = LeadIntakeTests.NextPhone();
        using (var visitor = Visitor(app))
        {
            var (html, formToken) = await PageAsync(visitor, $"/f/{formCode}");
            await visitor.PostAsync($"/f/{formCode}", Form([.. RealEstateRequest(formToken, Ticket(html), formPhone, name)]));
        }

        // Purchase, work, export, dispute: the contact is revealed to the buyer, never to the log.
        var purchase = await DisputeHarness.BuyAsync(app, buyer, seller, Guid.Parse(accepted.Str("leadId")), phone);
        await (await buyer.Client.GetAsync($"/api/v1/purchases/{purchase.SaleId}")).ExpectStatusAsync(HttpStatusCode.OK);
        await (await buyer.Client.GetAsync("/api/v1/purchases")).ExpectStatusAsync(HttpStatusCode.OK);
        using var browser = await SignInAsync(app, buyer.Email);
        var csv = await (await browser.GetAsync("/Advertiser/Purchases/Csv")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains(email, csv); // the export itself is for the buyer
        await (await browser.GetAsync($"/Advertiser/Purchases/Details/{purchase.SaleId}")).ExpectStatusAsync(HttpStatusCode.OK);
        await DisputeHarness.OpenAsync(purchase);

        var lines = app.Logs.ToArray();
        Assert.True(lines.Length > 50, $"Only {lines.Length} log lines captured: is the capture wired?");
        foreach (var secret in new[] { digits, digits[1..], phone, email, "zebediah", "quixotefield", password, BuyingApi.Digits(formPhone)[1..] })
        {
            var leaked = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.True(leaked is null, $"A log line contains the lead's contact ({secret}): {leaked}");
        }

        // At rest: no table holds the contact in clear (it is encrypted in Leads.ContactCipher; dedup keys are hashes).
        var tables = await TablesHoldingAsync([digits[1..], email, "zebediah"]);
        Assert.True(tables.Count == 0, "Contact in clear in: " + string.Join(", ", tables));
    }

    /// <summary>The SQLite tables with a row in which any of <paramref name="secrets"/> appears as text.</summary>
    private Task<List<string>> TablesHoldingAsync(string[] secrets) => app.WithDbAsync(async db =>
    {
        var found = new List<string>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var text = string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i))));
                if (secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase))) { found.Add(table); break; }
            }
        }
        return found;
    });
}

/// <summary>The app with every log line of every category captured in memory, Trace level and up.</summary>
public sealed class LogCaptureFactory() : LeadExchangeFactory(TestDatabase.Sqlite)
{
    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(new CapturingLoggerProvider(Logs));
            // A provider's own rule beats the category rules of appsettings (Microsoft.AspNetCore: Warning, EF commands: Warning).
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        });
    }
}

public sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"scope {category}: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {Describe(state)} | {exception}");

        private static string Describe<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> values
            ? string.Join("; ", values.Select(v => $"{v.Key}={v.Value}"))
            : state?.ToString() ?? "";
    }
}
